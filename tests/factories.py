"""Builders for tests: plain functions with keyword overrides."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from learners.models import (
    Contract,
    EmploymentStatus,
    Episode,
    Learner,
    LearningDelivery,
    Membership,
    Officer,
    Organisation,
    Provider,
    Role,
    Site,
    Tag,
    ident_for,
)

_seq = itertools.count(1)
VALID_ULNS = ["1748529632", "1000000043", "2000000028"]


def make_provider(**overrides: Any) -> Provider:
    n = next(_seq)
    fields = {"ukprn": f"1{n:07d}", "name": f"Provider {n}"}
    fields.update(overrides)
    return Provider.objects.create(**fields)


def make_user(
    *, provider: Provider | None = None, roles: list[Role] | None = None, **overrides: Any
) -> User:
    n = next(_seq)
    fields = {"username": f"user{n}", "email": f"user{n}@example.com"}
    fields.update(overrides)
    user = get_user_model().objects.create_user(password="a-long-test-password", **fields)
    for role in roles or []:
        assert provider is not None
        Membership.objects.create(user=user, provider=provider, role=role)
    return user


def make_site(*, provider: Provider, **overrides: Any) -> Site:
    n = next(_seq)
    fields = {"code": f"S{n}", "name": f"Site {n}", "postcode": "LS6 1AA"}
    fields.update(overrides)
    return Site.objects.create(provider=provider, **fields)


def make_organisation(*, provider: Provider, **overrides: Any) -> Organisation:
    n = next(_seq)
    fields = {"pics_id": f"EMP{n}", "name": f"Employer {n}"}
    fields.update(overrides)
    return Organisation.objects.create(provider=provider, **fields)


def make_contract(*, provider: Provider, **overrides: Any) -> Contract:
    n = next(_seq)
    fields = {"reference": f"C{n}", "name": f"Contract {n}"}
    fields.update(overrides)
    return Contract.objects.create(provider=provider, **fields)


def make_tag(*, provider: Provider, **overrides: Any) -> Tag:
    fields = {"name": f"Tag {next(_seq)}"}
    fields.update(overrides)
    return Tag.objects.create(provider=provider, **fields)


def make_officer(*, provider: Provider, **overrides: Any) -> Officer:
    n = next(_seq)
    fields = {"code": f"O{n}", "name": f"Officer {n}"}
    fields.update(overrides)
    return Officer.objects.create(provider=provider, **fields)


def make_learner(*, provider: Provider, **overrides: Any) -> Learner:
    n = next(_seq)
    fields: dict[str, Any] = {
        "lrn": f"LRN{n:06d}",
        "uln": "1748529632",
        "given_names": "Jane",
        "family_name": f"Smith{n}",
        "date_of_birth": date(2004, 3, 15),
        "email": f"learner{n}@example.com",
        "postcode": "LS6 2AB",
        "postcode_prior": "LS6 2AB",
        # What ESFA's rules ask of every funded learner (AddLine1_03, PriorAttain_01).
        "address_line_1": f"{n} High Street",
        "ni_number": "AB123456C",  # NINumber_02: every levy apprentice
        "town": "Leeds",
        "prior_level": 3,
        "prior_level_date": date(2023, 7, 1),
    }
    fields.update(overrides)
    tags = fields.pop("tags", [])
    learner = Learner.objects.create(provider=provider, **fields)
    if tags:
        learner.tags.set(tags)
    return learner


def make_episode(*, learner: Learner, **overrides: Any) -> Episode:
    fields: dict[str, Any] = {
        "ident": ident_for(next(_seq)),
        "start_date": date(2025, 9, 1),
    }
    fields.update(overrides)
    return Episode.objects.create(provider=learner.provider, learner=learner, **fields)


def make_aim(*, episode: Episode, **overrides: Any) -> LearningDelivery:
    fields: dict[str, Any] = {
        "aim_ref": "ZPROG001",
        "aim_type": LearningDelivery.AimType.PROGRAMME,
        "standard_id": 1,
        "start_date": episode.start_date,
        "planned_end_date": date(2027, 3, 31),
        "delivery_postcode": "LS6 1AA",
    }
    fields.update(overrides)
    if fields["aim_type"] == LearningDelivery.AimType.PROGRAMME:
        fields.setdefault("planned_hours", 400)  # PHours_01
    return LearningDelivery.objects.create(episode=episode, **fields)


def make_employment(*, learner: Learner, **overrides: Any) -> EmploymentStatus:
    fields: dict[str, Any] = {
        "date_applies": date(2025, 8, 1),
        "status": EmploymentStatus.Status.EMPLOYED,
        "as_agreement_id": "XEGE5X",
        # ESMType_02 and ESMType_09: intensity and length of an employed status.
        "employment_intensity": 8,
        "length_of_employment": 4,
    }
    fields.update(overrides)
    return EmploymentStatus.objects.create(learner=learner, **fields)


def make_payment_item(*, provider: Provider, **overrides: Any) -> Any:
    from payments.models import PaymentItem

    fields = {"code": f"ITEM{next(_seq)}", "name": "An item"}
    fields.update(overrides)
    return PaymentItem.objects.create(provider=provider, **fields)


def make_payment(*, episode: Episode, **overrides: Any) -> Any:
    from decimal import Decimal

    from payments.models import PaymentRecord

    fields: dict[str, Any] = {
        "expected_date": date(2025, 10, 30),
        "expected_amount": Decimal("100.00"),
        "credit_debit": "C",
    }
    fields.update(overrides)
    return PaymentRecord.objects.create(provider=episode.provider, episode=episode, **fields)


def make_employer(*, provider: Provider, **overrides: Any) -> Organisation:
    """An employer whose ERN passes its check digit (the ILR's EmpId, rule EmpId_02)."""
    from learners.identifiers import emp_id_with_check_digit

    ern = None
    while ern is None:  # about one number in eleven has no check digit that fits
        ern = emp_id_with_check_digit(f"1{next(_seq):07d}")
    return make_organisation(provider=provider, **({"ern": ern} | overrides))
