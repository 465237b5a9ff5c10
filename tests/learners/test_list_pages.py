"""The staff list's pages and search read through the fast paths (issue 19 §13) find the same
learners, in the same order, as the plain way: every filter as one condition, one OFFSET."""

from datetime import date

import pytest
from django.http import QueryDict

from learners import services
from learners.filters import SORTS, LearnerFilter, learner_search
from learners.models import Learner, Role
from learners.services import provider_choice_lists
from tests.factories import make_learner, make_site, make_tag

NAMES = [
    ("Sam", "Smith"),
    ("Sam", "Smith"),  # the same name twice: the ID breaks the tie
    ("sam", "smith"),
    ("Olivia", "Smith-Jones"),
    ("Smita", "Patel"),
    ("Mary Anne", "Okafor-Smith"),
    ("Zoë", "Ó Súilleabháin"),
    ("Ann", "Sm"),
    ("Olivia", "Brown"),
    ("S", "S"),
]


@pytest.fixture
def viewer(personas):
    return personas.client_for(personas.by_role[Role.LEARNER_LIST])


@pytest.fixture
def learners(personas):
    site, tag = make_site(provider=personas.provider), make_tag(provider=personas.provider)
    made = []
    for n, (given, family) in enumerate(NAMES * 6):
        learner = make_learner(
            provider=personas.provider,
            given_names=given,
            family_name=family,
            lrn=f"SM{n:03d}" if n % 7 else f"S{n}",
            state=[Learner.State.LIVE, Learner.State.ARCHIVED][n % 4 == 3],
            site=site if n % 2 else None,
            date_of_birth=None if n % 5 == 0 else date(2000, 1 + n % 12, 1),
        )
        if n % 3 == 0:
            learner.tags.add(tag)
        made.append(learner)
    make_learner(provider=personas.other_provider, given_names="Sam", family_name="Smith")
    return {"site": site, "tag": tag}


def _plain(provider, query: str) -> list[int]:
    """The matches the plain way: the search as one condition, the other filters after."""
    data = QueryDict(query, mutable=True)
    value = data.pop("q", [""])[0]
    filtered = LearnerFilter(
        data, Learner.objects.filter(provider=provider), provider_choice_lists(provider=provider)
    ).qs
    if value.strip():
        filtered = filtered.filter(learner_search(value))
    return list(filtered.order_by(*SORTS["name"]).values_list("id", flat=True))


def _listed(viewer, query: str) -> list[int]:
    """Every page's learners, page after page (pages of 25: the first is read from the start,
    the second and third from the end)."""
    ids: list[int] = []
    page = viewer.get(f"/learners/?{query}").context["page"]
    for number in page.paginator.page_range:
        response = viewer.get(f"/learners/?{query}&page={number}")
        ids += [learner.id for learner in response.context["page"].object_list]
    return ids


@pytest.mark.parametrize(
    "search",
    [
        "s",
        "S",
        "sm",
        "smi",
        "sam smi",
        "SMITH sam",
        "olivia",
        "mary okafor",
        "zoë",
        "zoë Ó",
        "sm001",
        "S0",
        "s7",
        "nobody",
    ],
)
def test_a_search_finds_the_same_learners_as_the_one_condition_search(personas, learners, search):
    found_any = False
    for filters in ["", "state=any", f"site={learners['site'].pk}", f"tag={learners['tag'].pk}"]:
        query = f"q={search}&{filters}"
        found = LearnerFilter(
            QueryDict(query),
            Learner.objects.filter(provider=personas.provider),
            provider_choice_lists(provider=personas.provider),
        ).qs
        expected = _plain(personas.provider, query)
        assert list(found.order_by(*SORTS["name"]).values_list("id", flat=True)) == expected
        found_any = found_any or bool(expected)
    assert found_any == (search != "nobody")


@pytest.mark.parametrize("collect_first_below", [0, 500])
@pytest.mark.parametrize("sort", [*SORTS, *(f"-{key}" for key in SORTS)])
def test_the_pages_list_every_learner_once_in_order_whichever_end_they_are_read_from(
    personas, viewer, learners, sort, collect_first_below, monkeypatch
):
    # Both ways of finding a page: walking the sort order, or all matches first (few).
    monkeypatch.setattr(services, "COLLECT_FIRST_BELOW", collect_first_below)
    column_order = [f"-{c}" if sort.startswith("-") else c for c in SORTS[sort.lstrip("-")]]
    expected = list(
        Learner.objects.filter(provider=personas.provider)
        .order_by(*column_order)
        .values_list("id", flat=True)
    )
    assert len(expected) == 60
    assert _listed(viewer, f"sort={sort}&state=any") == expected


def test_a_search_pages_through_its_matches_in_name_order(personas, viewer, learners):
    query = "q=s&state=any"
    expected = _plain(personas.provider, query)
    assert len(expected) > 25
    assert _listed(viewer, query) == expected
    page = viewer.get(f"/learners/?{query}").content.decode()
    assert f"{len(expected)} learners" in page
