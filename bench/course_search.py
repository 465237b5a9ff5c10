"""Course search at size (issue 16): 20,000 open courses across England, searched by a
learner through the page (GET /apply/courses/) from several places, radii and filters: p50
and p95 of 20 loads each. Baseline in the same run: the plain way — every open course read
and the great-circle distance worked out in Python for each, then sorted — on the same
searches.

Target (issue 16): a search over 20,000 courses answers in <= 100 ms p95.
Run: .venv/bin/python bench/course_search.py [--courses 20000]
(DATABASE_URL defaults to picsweb_bench.)
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from typing import Any

from _setup import setup

SEARCHES = [
    ("LS6 2AB, 15 miles", {"location": "LS6 2AB", "distance": "15"}),
    ("Leeds, 50 miles", {"location": "Leeds", "distance": "50"}),
    ("M1, 5 miles", {"location": "M1", "distance": "5"}),
    (
        "SW1A 1AA, 25 miles, 'mathematics'",
        {"location": "SW1A 1AA", "distance": "25", "q": "mathematics"},
    ),
    ("TR1 (Truro), any distance", {"location": "TR1", "distance": "any"}),
    (
        "B1, 10 miles, apprenticeships, page 3",
        {"location": "B1", "distance": "50", "kind": "apprenticeship", "page": "3"},
    ),
]


def _learner() -> Any:
    from datetime import date

    from django.contrib.auth.models import User

    from picsweb.models import Provider
    from progress_apply.models import PortalLearner

    provider = Provider.objects.order_by("pk").first()
    user, _ = User.objects.get_or_create(username="bench-course-learner")
    PortalLearner.objects.get_or_create(
        user=user,
        defaults={
            "provider": provider,
            "year_group": 11,
            "date_of_birth": date(2010, 1, 1),
            "postcode": "LS6 2AB",
            "must_change_password": False,
        },
    )
    return user


def _plain(params: dict[str, str]) -> float:
    """The plain way: every open course, the haversine in Python, sorted; seconds."""
    from progress_apply import search
    from progress_apply.models import Course

    started = time.perf_counter()
    place = search.place_for(params["location"])
    assert place is not None
    limit = None if params["distance"] == "any" else float(params["distance"])
    lat1, lon1 = math.radians(place.latitude), math.radians(place.longitude)
    found = []
    for course in Course.objects.filter(is_open=True).values(
        "id", "title", "latitude", "longitude", "kind", "subject"
    ):
        if params.get("q") and params["q"] not in (course["title"] + course["subject"]).lower():
            continue
        if params.get("kind") and course["kind"] != params["kind"]:
            continue
        lat2, lon2 = math.radians(course["latitude"] or 0), math.radians(course["longitude"] or 0)
        h = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        miles = 2 * 3958.8 * math.asin(math.sqrt(h))
        if limit is None or miles <= limit:
            found.append((miles, course["title"], course["id"]))
    found.sort()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=20_000)
    args = parser.parse_args()
    setup(0)
    from django.db import connection
    from django.test import Client

    from demo.services import make_courses
    from picsweb.models import Provider
    from progress_apply.models import Course

    have = Course.objects.count()
    if have < args.courses:
        print(f"making {args.courses - have:,} courses (once)...", flush=True)
        make_courses(list(Provider.objects.order_by("pk")[:3]), args.courses - have, seed=have)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(_learner())
    print(f"{Course.objects.filter(is_open=True).count():,} open courses")
    print(
        f"{'search':42} {'p50 ms':>7} {'p95 ms':>7} {'results':>8} | {'plain p95':>9} {'ratio':>6}"
    )
    worst = 0.0
    for label, params in SEARCHES:
        response = client.get("/apply/courses/", params)
        assert response.status_code == 200, label
        found = response.content.decode().split("data-result-count>")[1].split(" ")[0]
        times = []
        for _ in range(20):
            started = time.perf_counter()
            client.get("/apply/courses/", params)
            times.append(time.perf_counter() - started)
        plain = [_plain(params) for _ in range(5)]
        p50 = statistics.median(times) * 1000
        p95 = statistics.quantiles(times, n=20)[-1] * 1000
        plain95 = max(plain) * 1000
        worst = max(worst, p95)
        print(f"{label:42} {p50:7.1f} {p95:7.1f} {found:>8} | {plain95:9.1f} {plain95 / p95:5.1f}x")
    print(f"\nworst p95 {worst:.1f} ms (target <= 100)")


if __name__ == "__main__":
    main()
