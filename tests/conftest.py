"""Personas shared by every test: a provider with a member for each role, a provider admin, a
superuser, and an outsider who holds every role at another provider."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from learners.models import Provider, Role
from tests.factories import make_provider, make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


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
