"""The learner search is bounded: a huge `q` gets a plain form error at once, not a query that
holds a web worker and PostgreSQL."""

from __future__ import annotations

import time

import pytest

from learners.models import Role
from tests.factories import make_learner


@pytest.fixture
def viewer(personas):
    return personas.client_for(personas.by_role[Role.LEARNER_LIST])


def test_it_refuses_a_search_of_too_many_words_with_a_clear_message(personas, viewer):
    make_learner(provider=personas.provider, family_name="Okafor")
    started = time.monotonic()
    response = viewer.get("/learners/", {"q": " ".join(["ab"] * 40_000)})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    body = response.content.decode()
    assert "Search for at most 5 words" in body
    assert "Okafor" not in body


def test_it_refuses_a_search_that_is_too_long_with_a_clear_message(personas, viewer):
    response = viewer.get("/learners/", {"q": "x" * 101})
    assert "Search for at most 100 characters" in response.content.decode()


def test_it_still_searches_by_a_full_name(personas, viewer):
    make_learner(provider=personas.provider, given_names="Mary Anne", family_name="Okafor-Smith")
    response = viewer.get("/learners/", {"q": "mary okafor"})
    assert "Okafor-Smith" in response.content.decode()
