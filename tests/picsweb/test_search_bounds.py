"""Every search box is bounded (SEARCH_MAX_CHARS, SEARCH_MAX_WORDS): the admin's changelist
search, the payment report's and the R&C list's text filters answer at once with a plain
message instead of running a query that holds a web worker and PostgreSQL."""

from __future__ import annotations

import time

import pytest

from learners.models import Role
from tests.factories import make_learner

HUGE = " ".join(["ab"] * 40_000)


def test_the_admin_search_refuses_a_huge_term_with_a_message(personas):
    make_learner(provider=personas.provider, family_name="Okafor")
    client = personas.client_for(personas.provider_admin)
    started = time.monotonic()
    response = client.get("/admin/learners/learner/", {"q": HUGE})
    assert time.monotonic() - started < 5
    body = response.content.decode()
    assert response.status_code == 200
    assert "Search for at most 5 words" in body and "Okafor" not in body


def test_the_admin_search_still_finds_a_name(personas):
    make_learner(provider=personas.provider, family_name="Okafor")
    client = personas.client_for(personas.provider_admin)
    assert "Okafor" in client.get("/admin/learners/learner/", {"q": "okafor"}).content.decode()


@pytest.mark.parametrize(
    ("role", "url", "field"),
    [
        (Role.PAYMENTS_IMPORT, "/payments/", "learner"),
        (Role.MANAGE_REGCERT, "/regcert/", "learner"),
        (Role.MANAGE_REGCERT, "/regcert/", "awarding_organisation"),
    ],
)
def test_a_list_filter_refuses_a_huge_term_with_a_message(personas, role, url, field):
    client = personas.client_for(personas.by_role[role])
    started = time.monotonic()
    response = client.get(url, {"provider": personas.provider.code, field: HUGE})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "Search for at most 5 words" in response.content.decode()
