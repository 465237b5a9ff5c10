"""Course search by distance (seed 003 introduction, §1; issue 16): from a postcode, a
postcode district or a town (a local authority district), across every provider, nearest
first. Distances come from postcode district centres shipped with the app
(learners/data/uk_postcode_outcodes.csv); no outside service.

Over the distances a learner travels (50 miles at most, or any within Great Britain) the
earth is flat enough: with the longitude scaled by the cosine of the learner's latitude, the
straight-line distance in degrees is within 1 % of the great circle. That is arithmetic the
database does on its own (PostgreSQL and SQLite alike) inside a box around the learner that
the (latitude, longitude) index finds, so a search needs no trigonometry per row."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast

from learners.identifiers import normalise_postcode
from learners.reference_data import district_centroids, outcode_centroids
from progress_apply.models import Course

MILES_PER_DEGREE = 69.09  # of latitude
DISTANCES = (5, 10, 15, 25, 50)  # miles the learner may choose; or any
_OUTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass(frozen=True)
class Place:
    label: str  # as the page names it: "LS6 2AB", "LS6", "Leeds"
    latitude: float
    longitude: float


def place_for(text: str) -> Place | None:
    """The place a learner typed: a full postcode or a postcode district (its district's
    centre), or a town or city that is a local authority district. None: not known."""
    cleaned = " ".join(text.split()).upper()
    if not cleaned:
        return None
    centres = outcode_centroids()
    compact = cleaned.replace(" ", "")
    outcode = compact[:-3] if len(compact) >= 5 and compact[-3].isdigit() else compact
    if _OUTCODE.match(outcode) and outcode in centres:
        label = normalise_postcode(cleaned) if outcode != compact else outcode
        return Place(label, *centres[outcode])
    district = district_centroids().get(cleaned)
    if district is not None:
        return Place(district[0], district[1], district[2])
    return None


@dataclass
class Filters:
    keyword: str = ""
    qualification_type_id: int | None = None
    level: str = ""
    study_mode: str = ""
    start_after: date | None = None
    kind: str = ""


def course_search(*, place: Place | None, miles: int | None, filters: Filters) -> QuerySet[Any]:
    """Open courses within `miles` of `place` (None: any distance), nearest first, each
    annotated with `miles_squared`. No place (a learner with no postcode who entered none):
    every open course, the soonest start first, with no distance."""
    if place is None:
        return (
            _filtered(Course.objects.filter(is_open=True), filters)
            .annotate(miles_squared=Value(None, FloatField()))
            .order_by("start_date", "title", "id")
        )
    scale = math.cos(math.radians(place.latitude))
    courses = Course.objects.filter(is_open=True, latitude__isnull=False)
    if miles is not None:
        rise = miles / MILES_PER_DEGREE
        run = rise / max(scale, 0.01)
        courses = courses.filter(
            latitude__range=(place.latitude - rise, place.latitude + rise),
            longitude__range=(place.longitude - run, place.longitude + run),
        )
    courses = _filtered(courses, filters)
    north = (F("latitude") - Value(place.latitude)) * Value(MILES_PER_DEGREE)
    east = (F("longitude") - Value(place.longitude)) * Value(MILES_PER_DEGREE * scale)
    courses = courses.annotate(miles_squared=Cast(north * north + east * east, FloatField()))
    if miles is not None:
        courses = courses.filter(miles_squared__lte=miles * miles)
    return courses.order_by("miles_squared", "title", "id")


def courses_page(courses: QuerySet[Any], number: Any, per_page: int) -> Any:
    """A page of `courses` (course_search's), each course with its `miles`. The database
    sorts only ids and distances; the page's rows, with provider and qualification, are
    read after (the sort never carries the descriptions)."""
    from django.core.paginator import Paginator

    page = Paginator(courses.values_list("pk", "miles_squared"), per_page).get_page(number)
    distances = dict(page.object_list)
    found = Course.objects.filter(pk__in=distances).select_related("provider", "qualification_type")
    by_pk = {course.pk: course for course in found}
    page.object_list = [by_pk[pk] for pk in distances if pk in by_pk]
    for course in page.object_list:
        squared = distances[course.pk]
        course.miles = None if squared is None else math.sqrt(max(squared, 0.0))
    return page


def _filtered(courses: QuerySet[Course], filters: Filters) -> QuerySet[Course]:
    for word in filters.keyword.split()[:10]:
        courses = courses.filter(
            Q(title__icontains=word) | Q(subject__icontains=word) | Q(description__icontains=word)
        )
    if filters.qualification_type_id:
        courses = courses.filter(qualification_type_id=filters.qualification_type_id)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.study_mode:
        courses = courses.filter(study_mode=filters.study_mode)
    if filters.start_after:
        courses = courses.filter(start_date__gte=filters.start_after)
    if filters.kind:
        courses = courses.filter(kind=filters.kind)
    return courses


def miles_of(course: Any) -> float | None:
    """The distance of a course from course_search (or one of courses_page's); None when
    the search had no place."""
    if hasattr(course, "miles"):
        return None if course.miles is None else float(course.miles)
    if course.miles_squared is None:
        return None
    return math.sqrt(max(course.miles_squared, 0.0))
