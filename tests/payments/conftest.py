from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest

from learners.models import Episode, Learner, Organisation, Provider
from payments.importing import PAYMENTS
from payments.models import PaymentItem, UserDefinedField
from picsweb.imports.pipeline import Pass, validate_file
from tests.factories import (
    make_employment,
    make_episode,
    make_learner,
    make_organisation,
    make_payment_item,
)


@dataclass
class World:
    provider: Provider
    learner: Learner
    episode: Episode
    later_episode: Episode
    employer: Organisation
    item: PaymentItem


@pytest.fixture
def world(personas) -> World:
    provider = personas.provider
    learner = make_learner(provider=provider, lrn="LRN1")
    episode = make_episode(
        learner=learner, ident="00001", start_date=date(2024, 9, 1), end_date=date(2025, 7, 31)
    )
    later = make_episode(learner=learner, ident="00002", start_date=date(2025, 9, 1))
    employer = make_organisation(provider=provider, pics_id="EMP123")
    make_employment(learner=learner, employer=employer, date_applies=date(2024, 8, 1))
    item = make_payment_item(provider=provider, code="TRAIN")
    UserDefinedField.objects.create(provider=provider, name="PO NUMBER")
    return World(provider, learner, episode, later, employer, item)


def csv_bytes(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def check(provider: Provider, data: io.BytesIO | bytes, separator: str = ",") -> Pass:
    handle = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    summary, _, _ = validate_file(
        spec=PAYMENTS, provider=provider, handle=handle, separator=separator, keep_problems=None
    )
    return summary


def problems(summary: Pass) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in summary.problems]
