"""Builders for portal tests."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from picsweb.models import Provider
from progress_apply.models import PortalLearner
from progress_apply.services import portal_learner_create

_seq = itertools.count(1)


def make_portal_learner(
    *, provider: Provider, by: User | None = None, **overrides: Any
) -> PortalLearner:
    n = next(_seq)
    fields: dict[str, Any] = {
        "username": f"learner{n:04d}",
        "password": f"Issued{n}X",
        "first_name": "Pat",
        "last_name": f"Learner{n}",
        "email": "",
        "year_group": 11,
        "date_of_birth": date(2010, 1, 1),
    }
    fields.update(overrides)
    return portal_learner_create(by=by, provider=provider, **fields)  # type: ignore[arg-type]


def form_data(provider: Provider, **overrides: Any) -> dict[str, Any]:
    """A valid Create learner form."""
    data: dict[str, Any] = {
        "username": "jsmith01",
        "password": "Start123",
        "first_name": "Jo",
        "last_name": "Smith",
        "dob_day": "31",
        "dob_month": "3",
        "dob_year": "2010",
        "email": "",
        "year_group": "11",
        "provider": str(provider.code),
        "sign_off_profile": "default",
        "manager_adds_qualifications": "default",
        "house": "",
        "street": "",
        "locality": "",
        "town": "",
        "postcode": "",
        "telephone": "",
        "uln": "",
        "upn": "",
        "ccis_id": "",
        "gender": "",
        "ethnicity": "",
    }
    data.update(overrides)
    return data
