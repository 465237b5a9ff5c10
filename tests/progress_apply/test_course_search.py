"""Course search by distance (issue 16): place lookup, nearest first, radius edges with known
outcodes, the filters, the unknown-place and nothing-found messages, favourites."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest
from django.test import Client

from learners.reference_data import outcode_centroids
from progress_apply import search
from progress_apply.models import Course, Favourite, PortalLearner
from tests.progress_apply.helpers import make_portal_learner


@pytest.fixture(autouse=True)
def _reference_data(qualification_data) -> None:
    pass


def great_circle_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 3958.8 * math.asin(math.sqrt(h))


def course(provider, title: str, postcode: str, **fields) -> Course:
    values = {"start_date": date(2027, 9, 1), "duration_months": 12} | fields
    return Course.objects.create(provider=provider, title=title, venue_postcode=postcode, **values)


@pytest.fixture
def learner(personas) -> PortalLearner:
    found = make_portal_learner(provider=personas.provider, postcode="LS6 2AB")
    PortalLearner.objects.filter(pk=found.pk).update(must_change_password=False)
    return found


def client_of(learner: PortalLearner) -> Client:
    client = Client()
    client.force_login(learner.user)
    return client


def miles_of(item: Course) -> float:
    found = search.miles_of(item)
    assert found is not None
    return found


def titles(page: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/apply/courses/[^"]+">([^<]+)</a>', page)


def test_places_are_postcodes_districts_or_towns():
    full, district = search.place_for("ls6 2ab"), search.place_for("LS6")
    assert full is not None and full.label == "LS6 2AB"
    assert district is not None and district.label == "LS6"
    leeds = search.place_for("leeds")
    assert leeds is not None and leeds.label == "Leeds"
    assert search.place_for("Atlantis") is None
    assert search.place_for("ZZ9 9ZZ") is None


def test_the_flat_distance_is_within_one_percent_of_the_great_circle(personas):
    centres = outcode_centroids()
    here = search.place_for("LS6")
    assert here is not None
    for outcode in ("LS1", "BD1", "YO1", "M1", "S1", "HU1"):
        course(personas.provider, outcode, f"{outcode} 1AA")
    found = search.course_search(place=here, miles=None, filters=search.Filters())
    for item in found:
        truth = great_circle_miles(centres["LS6"], centres[item.title])
        assert abs(miles_of(item) - truth) <= max(0.01 * truth, 0.05), item.title


def test_results_are_nearest_first_and_the_radius_edge_counts(personas, learner):
    centres = outcode_centroids()
    near = course(personas.provider, "Near", "LS1 1AA")
    far = course(personas.provider, "Far", "YO1 1AA")
    course(personas.provider, "Closed", "LS6 1AA", is_open=False)
    here = search.place_for("LS6")
    assert here is not None
    far_miles = miles_of(
        search.course_search(place=here, miles=None, filters=search.Filters()).get(pk=far.pk)
    )
    assert 15 < far_miles < 25  # York from Headingley
    page = client_of(learner).get("/apply/courses/", {"distance": "any"}).content.decode()
    assert titles(page) == ["Near", "Far"]
    assert "2 courses at any distance from LS6 2AB, nearest first" in page
    assert "Closed" not in page
    within = client_of(learner).get("/apply/courses/", {"distance": "15"}).content.decode()
    assert titles(within) == ["Near"]
    # The edge: a radius just above York's distance takes it, just below does not.
    for miles, expected in ((math.ceil(far_miles), 2), (math.floor(far_miles), 1)):
        found = search.course_search(place=here, miles=miles, filters=search.Filters())
        assert found.count() == expected, miles
    assert near and centres


def test_filters_narrow_the_results(personas, learner):
    course(personas.provider, "A level Maths", "LS1 1AA", subject="Mathematics", level="3")
    course(
        personas.provider,
        "Plumbing",
        "LS1 1AA",
        kind="apprenticeship",
        level="2",
        study_mode="part_time",
        start_date=date(2028, 1, 1),
    )
    client = client_of(learner)
    assert titles(
        client.get("/apply/courses/", {"q": "math", "distance": "25"}).content.decode()
    ) == ["A level Maths"]
    assert titles(
        client.get("/apply/courses/", {"kind": "apprenticeship", "distance": "25"}).content.decode()
    ) == ["Plumbing"]
    assert titles(
        client.get(
            "/apply/courses/", {"study_mode": "part_time", "distance": "25"}
        ).content.decode()
    ) == ["Plumbing"]
    assert titles(
        client.get("/apply/courses/", {"level": "3", "distance": "25"}).content.decode()
    ) == ["A level Maths"]
    later = client.get(
        "/apply/courses/", {"start_month": "10", "start_year": "2027", "distance": "25"}
    )
    assert titles(later.content.decode()) == ["Plumbing"]


def test_an_unknown_place_and_nothing_found_say_what_to_do(personas, learner):
    course(personas.provider, "Far away", "TR1 1AA")  # Truro
    client = client_of(learner)
    page = client.get("/apply/courses/", {"location": "Atlantis"}).content.decode()
    assert "We do not know where" in page and "Atlantis" in page
    page = client.get("/apply/courses/", {"distance": "10"}).content.decode()
    assert "No courses match within 10 miles" in page and "15 miles" in page


def test_the_search_starts_from_the_learners_own_postcode(learner):
    page = client_of(learner).get("/apply/courses/").content.decode()
    assert 'value="LS6 2AB"' in page


def test_a_learner_saves_a_favourite_and_sees_it_on_their_home_page(personas, learner):
    found = course(personas.provider, "A level Maths", "LS1 1AA")
    client = client_of(learner)
    client.post(f"/apply/courses/{found.code}/favourite/")
    assert Favourite.objects.filter(learner=learner, course=found).exists()
    assert "A level Maths" in client.get("/apply/home/").content.decode()
    client.post(f"/apply/courses/{found.code}/favourite/")
    assert not Favourite.objects.filter(learner=learner).exists()


def test_staff_who_are_not_learners_get_404(personas):
    found = course(personas.provider, "A level Maths", "LS1 1AA")
    staff = personas.client_for(personas.outsider)
    assert staff.get("/apply/courses/").status_code == 404
    assert staff.post(f"/apply/courses/{found.code}/favourite/").status_code == 404


def test_with_no_place_any_distance_lists_every_match_and_a_distance_asks_for_a_place(personas):
    nowhere = make_portal_learner(provider=personas.provider, postcode="")
    PortalLearner.objects.filter(pk=nowhere.pk).update(must_change_password=False)
    later = course(personas.provider, "Biology later", "YO1 1AA", start_date=date(2028, 1, 1))
    sooner = course(personas.provider, "Biology sooner", "LS1 1AA")
    course(personas.provider, "Chemistry", "LS1 1AA")
    client = client_of(nowhere)

    page = client.get("/apply/courses/", {"q": "Biology", "location": "", "distance": "any"})
    text = page.content.decode()
    assert page.status_code == 200
    assert titles(text) == [sooner.title, later.title]
    assert "2 courses anywhere, the soonest start first" in text
    assert "data-miles" not in text and "We do not know where" not in text

    page = client.get("/apply/courses/", {"q": "Biology", "location": "", "distance": "15"})
    text = page.content.decode()
    assert "Enter a place to search within 15 miles of" in text
    assert titles(text) == []
