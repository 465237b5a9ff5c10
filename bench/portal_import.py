"""The portal's learner import at size (issue 14): a 10,000-row XLSX of new learners, validate +
apply on PostgreSQL, with usernames and passwords generated for each. Baseline in the same run:
the plain way — each learner's generated password hashed with Django's default hasher (PBKDF2),
measured on --baseline-rows rows and scaled to the file. Then the dashboard's ten counts over
the learners now there (p95 of 20 loads, and its queries).

Target: <= 60 s for 10,000 learners, validate + apply.
Run: .venv/bin/python bench/portal_import.py [--rows 10000] [--baseline-rows 10]
(DATABASE_URL defaults to picsweb_bench; the import is undone at the end.)
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _setup import ROOT, peak_mb, setup

WORK = ROOT / "var" / "bench"
UKPRN = "10098765"


def make_file(rows: int) -> Path:
    from openpyxl import Workbook

    from demo.services import FAMILY, GIVEN
    from progress_apply.importing import COLUMNS

    rng = random.Random(14)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Learners")
    sheet.append(COLUMNS)
    born = date(2008, 9, 1)
    for n in range(rows):
        sheet.append(
            [
                UKPRN,
                f"Year {rng.randint(10, 13)}",
                rng.choice(GIVEN),
                f"{rng.choice(FAMILY)}{n}",
                "LS6 2AB",
                (born + timedelta(days=n % 1400)).isoformat(),
                f"bench{n}@school.example.org",
                str(n % 200 + 1),
                "High Street",
                "",
                "Leeds",
                "",
                "",
                "",
                "",
                rng.choice(["Female", "Male", "Not known", "Not specified"]),
                "Not provided",
            ]
        )
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"portal-learners-{rows}.xlsx"
    workbook.save(path)
    return path


def manager() -> tuple[Any, Any]:
    from django.contrib.auth.models import User

    from picsweb.models import Membership, Provider, Role

    provider, _ = Provider.objects.get_or_create(
        ukprn=UKPRN, defaults={"name": "Bench Portal School"}
    )
    user, _ = User.objects.get_or_create(username="bench-portal-lm")
    Membership.objects.get_or_create(user=user, provider=provider, role=Role.LEARNER_MANAGER)
    return provider, user


def measure(path: Path) -> dict[str, float]:
    from picsweb.imports.pipeline import apply_plan, import_undo, validate_file
    from progress_apply.importing import LEARNER_IMPORT

    provider, user = manager()
    started = time.perf_counter()
    with path.open("rb") as handle, tempfile.TemporaryFile() as plan:
        summary, _, _ = validate_file(
            spec=LEARNER_IMPORT,
            provider=provider,
            handle=handle,
            plan=plan,
            owner=user,
        )
        validated = time.perf_counter()
        batch = apply_plan(
            spec=LEARNER_IMPORT,
            provider=provider,
            plan=plan,
            file_name=path.name,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            owner=user,
        )
        done = time.perf_counter()
    dashboard = measure_dashboard(user, provider)
    import_undo(batch=batch, user=user)
    return {
        "validate": validated - started,
        "apply": done - validated,
        "total": done - started,
        "rows": summary.rows,
        "new": batch.created_count,
        "problems": summary.problem_count,
        **dashboard,
    }


def measure_dashboard(user: Any, provider: Any) -> dict[str, float]:
    """The manager's dashboard and learner list (first and a deep page), p95 of 20 loads each,
    over every portal learner of the bench provider; and the dashboard's queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from progress_apply.models import PortalLearner

    client = Client()
    client.force_login(user)
    figures: dict[str, float] = {
        "manager_learners": PortalLearner.objects.filter(provider=provider).count()
    }
    for name, url in (
        ("dashboard", "/apply/"),
        ("list", "/apply/learners/"),
        ("list_deep", "/apply/learners/?page=200"),
        ("list_search", "/apply/learners/?q=smi"),
    ):
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(20):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        figures[f"{name}_p95_ms"] = statistics.quantiles(times, n=20)[-1] * 1000
    with CaptureQueriesContext(connection) as queries:
        client.get("/apply/")
    figures["dashboard_queries"] = len(queries.captured_queries)
    figures["dashboard_count_queries"] = sum(
        1 for q in queries.captured_queries if "COUNT(" in q["sql"].upper()
    )
    return figures


def baseline(rows: int, sample: int) -> float:
    """Seconds for `rows` learners' passwords hashed one by one with the default hasher."""
    from django.contrib.auth.hashers import make_password

    from progress_apply.rules import generated_password

    started = time.perf_counter()
    for _ in range(sample):
        make_password(generated_password())
    return (time.perf_counter() - started) / sample * rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=10)
    parser.add_argument("--dashboard-learners", type=int, default=100_000)
    args = parser.parse_args()
    setup(0)
    from demo.services import make_portal_learners
    from progress_apply.models import PortalLearner

    provider, _ = manager()
    have = PortalLearner.objects.filter(provider=provider).count()
    if have < args.dashboard_learners - args.rows:
        print(f"making {args.dashboard_learners - args.rows - have:,} portal learners (once)...")
        make_portal_learners([provider], args.dashboard_learners - args.rows - have)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    path = make_file(args.rows)
    ours = measure(path)
    plain = baseline(args.rows, args.baseline_rows)
    there = PortalLearner.objects.count()
    print(
        f"learner import, {ours['rows']:,.0f} rows XLSX: validate {ours['validate']:.1f} s + "
        f"apply {ours['apply']:.1f} s = {ours['total']:.1f} s ({ours['new']:,.0f} learners with "
        f"generated credentials, {ours['problems']:.0f} problems), peak {peak_mb():.0f} MB"
    )
    print(
        f"baseline (each password PBKDF2-hashed, {args.baseline_rows} measured, scaled): "
        f"{plain:.0f} s for the passwords alone; ratio {plain / ours['total']:.0f}x"
    )
    print(
        f"dashboard over {ours['manager_learners']:,.0f} portal learners of the manager's "
        f"provider ({there + ours['new']:,.0f} in all): p95 {ours['dashboard_p95_ms']:.0f} ms, "
        f"{ours['dashboard_queries']:.0f} queries ({ours['dashboard_count_queries']:.0f} counts); "
        f"target <= 200 ms, <= 10 queries"
    )
    print(
        f"managers' learner list p95: first page {ours['list_p95_ms']:.0f} ms, page 200 "
        f"{ours['list_deep_p95_ms']:.0f} ms, search 'smi' {ours['list_search_p95_ms']:.0f} ms "
        f"(staff list target <= 150 ms)"
    )
    target = "met" if ours["total"] <= 60 else "MISSED"
    print(f"target <= 60 s for 10,000 learners: {target}")


if __name__ == "__main__":
    main()
