"""The bulk qualification workbook at size (issue 15): a year group of 5,000 portal learners
whose manager adds their qualifications, five GCSEs each. The export (four sheets, 98
columns, drop-down lists), then the same workbook with one more qualification on every row
imported (validate + apply), then undone. Baseline in the same run: the plain way of writing
the learners' sheet — openpyxl's ordinary workbook, each learner's qualifications read with
its own query — measured on --baseline-learners and scaled.

Targets (issue 15): export <= 10 s, import (validate + apply) <= 15 s for 5,000 learners.
Run: .venv/bin/python bench/qualification_workbook.py [--learners 5000]
(DATABASE_URL defaults to picsweb_bench.)
"""

from __future__ import annotations

import argparse
import hashlib
import io
import tempfile
import time
from datetime import date
from typing import Any

from _setup import ROOT, peak_mb, setup

WORK = ROOT / "var" / "bench"
UKPRN = "10098766"
YEAR = 11


def _provider_and_manager() -> tuple[Any, Any]:
    from django.contrib.auth.models import User

    from picsweb.models import Membership, Provider, Role

    provider, _ = Provider.objects.get_or_create(
        ukprn=UKPRN, defaults={"name": "Bench Workbook School"}
    )
    user, _ = User.objects.get_or_create(username="bench-workbook-lm")
    Membership.objects.get_or_create(user=user, provider=provider, role=Role.LEARNER_MANAGER)
    return provider, user


def _make(provider: Any, count: int) -> None:
    """`count` learners of Year 11 at the bench provider, five GCSEs each (once)."""
    import random

    from demo.services import make_portal_learners
    from progress_apply.models import (
        PortalLearner,
        PortalSettings,
        Qualification,
        QualificationType,
    )

    PortalSettings.objects.get_or_create(
        provider=provider, defaults={"manager_adds_qualifications": True}
    )
    have = PortalLearner.objects.filter(provider=provider).count()
    if have < count:
        print(f"making {count - have:,} portal learners (once)...", flush=True)
        make_portal_learners([provider], count - have, seed=15)
    PortalLearner.objects.filter(provider=provider).update(year_group=YEAR)
    learners = list(PortalLearner.objects.filter(provider=provider).values_list("id", flat=True))
    Qualification.objects.filter(learner_id__in=learners).delete()
    kind = QualificationType.objects.get(name="GCSE (9-1)")
    subjects = list(kind.subjects.order_by("name")[:40])
    grades = list(kind.grades.exclude(grade="U"))
    rng = random.Random(15)
    Qualification.objects.bulk_create(
        [
            Qualification(
                learner_id=pk,
                type=kind,
                subject=subject,
                predicted_grade=rng.choice(grades),
                completed_on=date(2026, 6, 1),
                verified=True,
            )
            for pk in learners
            for subject in rng.sample(subjects, 5)
        ],
        batch_size=5000,
    )


def measure(provider: Any, user: Any) -> dict[str, float]:
    from openpyxl import load_workbook

    from picsweb.imports.pipeline import apply_plan, import_undo, validate_file
    from progress_apply.qualification_workbook import (
        QUALIFICATION_IMPORT,
        SHEET_LEARNERS,
        export_learners,
        workbook_write,
    )

    started = time.perf_counter()
    learners = export_learners(user=user, provider=provider, year_group=YEAR)
    handle = workbook_write(rows=learners, provider=provider, params={}, progress=None)
    exported = time.perf_counter() - started
    data = handle.read()
    handle.close()

    # The manager's edit (not timed): a sixth qualification on every row.
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET_LEARNERS]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=34, value="GCSE (9-1)")
        sheet.cell(row=row, column=35, value="Statistics")
        sheet.cell(row=row, column=37, value="6")
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "qualifications-edited.xlsx"
    workbook.save(path)

    started = time.perf_counter()
    with path.open("rb") as upload, tempfile.TemporaryFile() as plan:
        summary, _, _ = validate_file(
            spec=QUALIFICATION_IMPORT, provider=provider, handle=upload, plan=plan, owner=user
        )
        validated = time.perf_counter()
        batch = apply_plan(
            spec=QUALIFICATION_IMPORT,
            provider=provider,
            plan=plan,
            file_name=path.name,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            owner=user,
        )
        applied = time.perf_counter()
    import_undo(batch=batch, user=user)
    return {
        "export": exported,
        "bytes": len(data),
        "validate": validated - started,
        "apply": applied - validated,
        "rows": summary.rows,
        "updated": batch.updated_count,
        "problems": summary.problem_count,
    }


def baseline(provider: Any, user: Any, sample: int, learners: int) -> float:
    """The plain way: openpyxl's ordinary workbook, a query per learner, scaled."""
    from openpyxl import Workbook

    from progress_apply.qualification_workbook import COLUMNS, export_learners

    chosen = list(
        export_learners(user=user, provider=provider, year_group=YEAR).select_related(
            "user", "provider"
        )[:sample]
    )
    started = time.perf_counter()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(COLUMNS)
    for learner in chosen:
        values: list[Any] = [
            str(learner.code),
            learner.upn,
            learner.uln,
            learner.user.first_name,
            learner.user.last_name,
            learner.date_of_birth,
            learner.provider.name,
            "",
        ]
        for q in learner.qualifications.all():
            values += [
                q.type.name,
                q.subject.name,
                q.completed_on.strftime("%Y-%m") if q.completed_on else "",
                q.predicted_grade.grade if q.predicted_grade else "",
                q.actual_grade.grade if q.actual_grade else "",
            ]
        sheet.append(values)
    workbook.save(io.BytesIO())
    return (time.perf_counter() - started) / len(chosen) * learners


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5_000)
    parser.add_argument("--baseline-learners", type=int, default=300)
    args = parser.parse_args()
    setup(0)
    from django.db import connection

    provider, user = _provider_and_manager()
    _make(provider, args.learners)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ours = measure(provider, user)
    plain = baseline(provider, user, args.baseline_learners, args.learners)
    total = ours["validate"] + ours["apply"]
    print(
        f"export of {ours['rows']:,.0f} learners (5 qualifications each): {ours['export']:.2f} s, "
        f"{ours['bytes'] / 1e6:.1f} MB (target <= 10 s); baseline (ordinary workbook, a query "
        f"per learner, {args.baseline_learners} measured, scaled) {plain:.2f} s: "
        f"{plain / ours['export']:.1f}x"
    )
    print(
        f"import, a 6th qualification on every row: validate {ours['validate']:.2f} s + apply "
        f"{ours['apply']:.2f} s = {total:.2f} s (target <= 15 s); {ours['updated']:,.0f} "
        f"learners updated, {ours['problems']:.0f} problems; peak {peak_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
