"""Personas shared by every test: a provider with a member for each role, a provider admin, a
superuser, and an outsider who holds every role at another provider."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from learners.models import Provider, Role
from progress_apply.models import QualificationGrade, QualificationSubject, QualificationType
from progress_apply.reference_data import load_qualifications
from tests.factories import make_provider, make_user
from tests.worker import Worker, relaunch_if_dead, start_worker


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    yield from start_worker(tmp_path_factory.mktemp("worker"))


@pytest.fixture
def celery_worker(celery_worker_process: Worker) -> Worker:
    """A real Celery worker on the test database and Redis (tests must use transactional_db
    so the worker sees their rows), with an empty mailbox."""
    relaunch_if_dead(celery_worker_process)
    celery_worker_process.clear_mail()
    return celery_worker_process


@pytest.fixture(scope="session", autouse=True)
def _reference_data(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> None:
    """The LARS standards come with migration 0002; tests with transactional_db flush them,
    so a reused test database gets them back here. (Not when no test of the run uses the
    database: pytest-django then sets none up, and the connection is the real one.)"""
    from learners.models import Standard
    from learners.reference_data import load_standards

    if not any(
        {"db", "transactional_db"} & set(item.fixturenames)  # type: ignore[attr-defined]
        or item.get_closest_marker("django_db")
        for item in request.session.items
    ):
        return
    with django_db_blocker.unblock():
        if not Standard.objects.exists():
            load_standards(Standard)


@pytest.fixture
def standards(transactional_db: None) -> None:
    """For transactional tests that need the LARS standards (the flush before them may have
    removed them)."""
    from learners.models import Standard
    from learners.reference_data import load_standards

    load_standards(Standard)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "celery_worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)


@dataclass
class Personas:
    provider: Provider
    other_provider: Provider
    superuser: User
    provider_admin: User
    outsider: User
    nobody: User
    by_role: dict[Role, User]

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def personas(db: None) -> Personas:
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    other = make_provider(name="Elsewhere College", ukprn="10099999")
    by_role: dict[Role, User] = {
        role: make_user(provider=provider, roles=[role], username=f"has-{role.value}")
        for role in Role
        if role is not Role.PROVIDER_ADMIN
    }
    return Personas(
        provider=provider,
        other_provider=other,
        superuser=make_user(username="root", is_superuser=True, is_staff=True),
        provider_admin=make_user(
            provider=provider, roles=[Role.PROVIDER_ADMIN], username="provadmin"
        ),
        outsider=make_user(provider=other, roles=list(Role), username="outsider"),
        nobody=make_user(username="nobody"),
        by_role=by_role,
    )


# The qualification reference data that migration progress_apply 0004 loads: a test that
# flushes the database (a transactional test) removes it, so it is loaded again when missing.


def _ensure_qualifications() -> None:
    if not QualificationType.objects.exists():
        load_qualifications(QualificationType, QualificationSubject, QualificationGrade)


@pytest.fixture(scope="session")
def _qualifications_committed(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        _ensure_qualifications()


@pytest.fixture
def qualification_data(_qualifications_committed, db) -> None:
    _ensure_qualifications()
