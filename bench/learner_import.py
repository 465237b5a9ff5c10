"""The Learner Import at three sizes (1,000, 10,000 and 100,000 rows by default) against the
demo data on PostgreSQL: validate + apply (with the history rows) + undo, each size in a fresh
process so its peak memory is its own. Rows: 80% new learners with an employment status, 15%
updates of demo learners (a new postcode and AS Agreement ID on their latest status), 5% with
an error. Baseline in the same run: the plain way, each row through the model's full_clean()
and save() (django-simple-history's signals write the history), on the first --baseline-rows
rows, rolled back.

Target (issue 17): 100,000 rows validate + apply in reasonable time (payments: <= 10 s).
Run: .venv/bin/python bench/learner_import.py [--sizes 1000,10000,100000] [--baseline-rows 2000]
Uses its own database (picsweb_bench_learner_import) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/picsweb_bench_learner_import"
)

from _setup import ROOT, peak_mb, run_child, setup

WORK = ROOT / "var" / "bench"
UKPRN = "10012345"


def make_file(rows: int) -> Path:
    from learners.columns import COLUMNS
    from learners.models import EmploymentStatus, Learner, Organisation, Provider

    provider = Provider.objects.get(ukprn=UKPRN)
    employers = list(
        Organisation.objects.filter(provider=provider, is_employer=True).values_list(
            "pics_id", flat=True
        )
    )
    existing = list(
        Learner.objects.filter(provider=provider)
        .order_by("id")
        .values_list("lrn", flat=True)[: rows * 15 // 100]
    )
    latest = dict(
        EmploymentStatus.objects.filter(learner__lrn__in=existing, learner__provider=provider)
        .order_by("learner_id", "date_applies", "id")
        .values_list("learner__lrn", "date_applies")
    )
    table = []
    for n in range(rows):
        kind = n % 20
        if kind < 3 and existing:
            lrn = existing.pop()
            when = latest.get(lrn)
            row = {"LRN": lrn, "Postcode": "LS1 4AP"}
            if when:
                row |= {
                    "Employment status date": when.strftime("%d/%m/%Y"),
                    "AS Agreement ID": "B1",
                }
        else:
            row = {
                "LRN": f"B{n:09d}"[:12],
                "ULN": "9999999999",
                "Given names": f"Bench{n}",
                "Family name": "Import",
                "Date of birth": f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/2004",
                "Sex": "FM"[n % 2],
                "Ethnicity": "31",
                "Email": f"bench{n}@example.com",
                "Postcode": "LS6 2AB",
                "Employment status date": "01/08/2025",
                "Employment status": "10",
                "Employer": employers[n % len(employers)],
                "AS Agreement ID": "A1",
            }
            if kind == 19:
                row["ULN"] = "1748529633"  # fails its check digit
        table.append([row.get(c, "") for c in COLUMNS])
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"learners-{rows}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(table)
    return path


def measure(path: Path) -> dict[str, float]:
    import hashlib

    from django.contrib.auth.models import User

    from learners.importing import LEARNERS_IMPORT
    from learners.models import Provider
    from picsweb.imports.pipeline import apply_plan, import_undo, validate_file

    provider = Provider.objects.get(ukprn=UKPRN)
    owner = User.objects.get(username="staff")
    started = time.perf_counter()
    with path.open("rb") as handle, tempfile.TemporaryFile() as plan:
        summary, _, _ = validate_file(
            spec=LEARNERS_IMPORT, provider=provider, handle=handle, plan=plan, owner=owner
        )
        validated = time.perf_counter()
        batch = apply_plan(
            spec=LEARNERS_IMPORT,
            provider=provider,
            plan=plan,
            file_name=path.name,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            owner=owner,
        )
        done = time.perf_counter()
    import_undo(batch=batch, user=owner)
    undone = time.perf_counter()
    return {
        "validate": validated - started,
        "apply": done - validated,
        "undo": undone - done,
        "total": done - started,
        "rows": summary.rows,
        "new": batch.created_count,
        "updated": batch.updated_count,
        "problem_rows": summary.problem_rows,
    }


def baseline(path: Path, rows: int) -> dict[str, float]:
    """Row by row through the ORM: full_clean() and save() of the learner and its status."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from learners.columns import COLUMNS
    from learners.models import EmploymentStatus, Learner, Organisation, Provider

    provider = Provider.objects.get(ukprn=UKPRN)
    employers = {o.pics_id: o for o in Organisation.objects.filter(provider=provider)}
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        lines = [
            dict(zip(COLUMNS, line, strict=True))
            for _, line in zip(range(rows), reader, strict=False)
        ]
    started = time.perf_counter()
    errors = 0

    def day(text: str):  # type: ignore[no-untyped-def]
        d, m, y = text.split("/")
        return f"{y}-{m}-{d}"

    with transaction.atomic():
        for line in lines:
            learner = Learner.objects.filter(provider=provider, lrn=line["LRN"]).first()
            learner = learner or Learner(provider=provider, lrn=line["LRN"])
            for column, name in (
                ("Given names", "given_names"),
                ("Family name", "family_name"),
                ("ULN", "uln"),
                ("Email", "email"),
                ("Postcode", "postcode"),
            ):
                if line[column]:
                    setattr(learner, name, line[column])
            if line["Date of birth"]:
                learner.date_of_birth = day(line["Date of birth"])
            try:
                learner.full_clean()
            except ValidationError:  # a bad row
                errors += 1
                continue
            learner.save()
            if line["Employment status date"]:
                status = EmploymentStatus.objects.filter(
                    learner=learner, date_applies=day(line["Employment status date"])
                ).first() or EmploymentStatus(
                    learner=learner, date_applies=day(line["Employment status date"])
                )
                status.status = int(line["Employment status"] or status.status or 10)
                status.employer = employers.get(line["Employer"], status.employer)
                status.as_agreement_id = line["AS Agreement ID"]
                status.full_clean()
                status.save()
        took = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"seconds": took, "rows": len(lines), "errors": errors}


def child(mode: str, path: str, rows: int) -> None:
    setup(0)
    out = measure(Path(path)) if mode == "measure" else baseline(Path(path), rows)
    out["peak_mb"] = peak_mb()
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--baseline-rows", type=int, default=2000)
    parser.add_argument("--learners", type=int, default=30_000)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    setup(args.learners)
    sizes = [int(s) for s in args.sizes.split(",")]
    paths = {size: make_file(size) for size in sizes}
    base = run_child(__file__, "baseline", str(paths[max(sizes)]), str(args.baseline_rows))
    base_rate = base["rows"] / base["seconds"]
    print(
        f"baseline: full_clean() + save() per row (with history signals), {base['rows']:,.0f} "
        f"rows in {base['seconds']:.2f} s = {base_rate:,.0f} rows/s"
    )
    for size in sizes:
        r = run_child(__file__, "measure", str(paths[size]), "0")
        rate = r["rows"] / r["total"]
        print(
            f"{size:>7,} rows: validate {r['validate']:6.2f} s + apply {r['apply']:6.2f} s = "
            f"{r['total']:6.2f} s ({rate:,.0f} rows/s, {rate / base_rate:.1f}x the baseline), "
            f"undo {r['undo']:.2f} s, peak {r['peak_mb']:.0f} MB; {r['new']:,.0f} new, "
            f"{r['updated']:,.0f} updated, {r['problem_rows']:,.0f} rows with errors"
        )


if __name__ == "__main__":
    main()
