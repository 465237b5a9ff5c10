"""The payment import at size: a 100,000-row CSV and the same rows as XLSX against the demo
data on PostgreSQL, validate (every bad row still reported) + apply the validated plan, each
run in a fresh process so its peak memory is its own. Baseline in the same run:
django-import-export's plain ModelResource import of the same CSV (a dry run, measured on its
first --baseline-rows rows and scaled to the full file).

Targets (issue 5): CSV <= 10 s and <= 150 MB peak; XLSX <= 2x the CSV time; >= 15x baseline.
Run: .venv/bin/python bench/payments_import.py [--rows 100000] [--baseline-rows 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from _setup import ROOT, peak_mb, run_child, setup

WORK = ROOT / "var" / "bench"
HEADER = [
    "INTERNAL RECORD ID",
    "IDENT",
    "SYSTEM TYPE",
    "EXPECTED PAYMENT DATE",
    "EXPECTED PAYMENT AMOUNT",
    "ACTUAL PAYMENT DATE",
    "ACTUAL PAYMENT AMOUNT",
    "CREDIT/DEBIT",
    "PAYMENT STATUS",
    "PAYMENT ITEM CODE",
    "NOTES",
    "PO NUMBER",
]


def make_files(rows: int) -> tuple[Path, Path, int]:
    """90% new records by IDENT, 5% updates by INTERNAL RECORD ID, 5% rows with errors."""
    import csv

    from openpyxl import Workbook

    from learners.models import Episode, Provider
    from payments.models import PaymentRecord

    provider = Provider.objects.get(ukprn="10012345")
    idents = list(Episode.objects.filter(provider=provider).values_list("ident", flat=True))
    internal_ids = list(
        PaymentRecord.objects.filter(provider=provider, created_batch=None)
        .order_by("id")
        .values_list("internal_id", flat=True)[: rows // 20]
    )
    rng = random.Random(7)
    bad = [
        {"EXPECTED PAYMENT DATE": "31/02/2025"},
        {"EXPECTED PAYMENT AMOUNT": "12.345"},
        {"IDENT": "ZZZZZ"},
        {"CREDIT/DEBIT": "X"},
        {"PAYMENT STATUS": "Done"},
    ]
    table: list[list[str]] = []
    for n in range(rows):
        kind = n % 20
        if kind == 0 and internal_ids:
            row = {
                "INTERNAL RECORD ID": internal_ids.pop(),
                "PAYMENT STATUS": "Paid",
                "ACTUAL PAYMENT DATE": "15/11/2025",
                "ACTUAL PAYMENT AMOUNT": "100.00",
            }
        else:
            row = {
                "IDENT": rng.choice(idents),
                "SYSTEM TYPE": rng.choice(["", "APTB_PMR1", "APTB_PMR2"]),
                "EXPECTED PAYMENT DATE": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025",
                "EXPECTED PAYMENT AMOUNT": f"{rng.randint(1, 4000)}.{rng.randint(0, 99):02d}",
                "CREDIT/DEBIT": "C",
                "PAYMENT STATUS": "Expected",
                "PAYMENT ITEM CODE": rng.choice(["", "TRAIN", "EPA"]),
                "NOTES": f"bench row {n}",
                "PO NUMBER": f"PO{n}",
            }
            if kind == 1:
                row |= bad[n % len(bad)]
        table.append([row.get(h, "") for h in HEADER])
    WORK.mkdir(parents=True, exist_ok=True)
    csv_path = WORK / f"payments-{rows}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(table)
    xlsx_path = WORK / f"payments-{rows}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for cells in table:
        sheet.append(cells)
    workbook.save(xlsx_path)
    return (
        csv_path,
        xlsx_path,
        sum(
            1
            for r in table
            if any(v in str(r) for v in ("31/02", "12.345", "ZZZZZ", "'X'", "Done"))
        ),
    )


def measure(path: Path) -> dict[str, float]:
    """In this (fresh) process: validate, then apply, then undo the import."""
    import hashlib

    from django.contrib.auth.models import User

    from learners.models import Provider
    from payments.importing import PAYMENTS
    from picsweb.imports.pipeline import apply_plan, import_undo, validate_file

    provider = Provider.objects.get(ukprn="10012345")
    started = time.perf_counter()
    with path.open("rb") as handle, tempfile.TemporaryFile() as plan:
        summary, _, _ = validate_file(spec=PAYMENTS, provider=provider, handle=handle, plan=plan)
        validated = time.perf_counter()
        batch = apply_plan(
            spec=PAYMENTS,
            provider=provider,
            plan=plan,
            file_name=path.name,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        done = time.perf_counter()
    import_undo(batch=batch, user=User.objects.get(username="staff"))
    return {
        "validate": validated - started,
        "apply": done - validated,
        "total": done - started,
        "rows": summary.rows,
        "accepted": summary.accepted,
        "problem_rows": summary.problem_rows,
        "problems": summary.problem_count,
        "new": batch.created_count,
        "updated": batch.updated_count,
    }


def baseline(path: Path, rows: int) -> dict[str, float]:
    """django-import-export, the plain way: a ModelResource with widgets for the keys."""
    import tablib
    from import_export import fields, resources, widgets

    from learners.models import Episode
    from payments.models import PaymentItem, PaymentRecord

    class PlainResource(resources.ModelResource):
        internal_id = fields.Field(attribute="internal_id", column_name="INTERNAL RECORD ID")
        episode = fields.Field(
            attribute="episode",
            column_name="IDENT",
            widget=widgets.ForeignKeyWidget(Episode, "ident"),
        )
        system_type = fields.Field(attribute="system_type", column_name="SYSTEM TYPE")
        expected_date = fields.Field(
            attribute="expected_date",
            column_name="EXPECTED PAYMENT DATE",
            widget=widgets.DateWidget("%d/%m/%Y"),
        )
        expected_amount = fields.Field(
            attribute="expected_amount",
            column_name="EXPECTED PAYMENT AMOUNT",
            widget=widgets.DecimalWidget(),
        )
        actual_date = fields.Field(
            attribute="actual_date",
            column_name="ACTUAL PAYMENT DATE",
            widget=widgets.DateWidget("%d/%m/%Y"),
        )
        actual_amount = fields.Field(
            attribute="actual_amount",
            column_name="ACTUAL PAYMENT AMOUNT",
            widget=widgets.DecimalWidget(),
        )
        credit_debit = fields.Field(attribute="credit_debit", column_name="CREDIT/DEBIT")
        status = fields.Field(attribute="status", column_name="PAYMENT STATUS")
        payment_item = fields.Field(
            attribute="payment_item",
            column_name="PAYMENT ITEM CODE",
            widget=widgets.ForeignKeyWidget(PaymentItem, "code"),
        )
        notes = fields.Field(attribute="notes", column_name="NOTES")

        class Meta:
            model = PaymentRecord
            import_id_fields = ("internal_id",)
            fields = (
                "internal_id",
                "episode",
                "system_type",
                "expected_date",
                "expected_amount",
                "actual_date",
                "actual_amount",
                "credit_debit",
                "status",
                "payment_item",
                "notes",
            )

        def before_save_instance(self, instance, row, **kwargs):  # type: ignore[no-untyped-def]
            instance.provider_id = instance.episode.provider_id

    lines = path.read_text(encoding="utf-8").splitlines()[: rows + 1]
    dataset = tablib.Dataset().load("\n".join(lines), format="csv")
    started = time.perf_counter()
    result = PlainResource().import_data(dataset, dry_run=True, raise_errors=False)
    took = time.perf_counter() - started
    return {
        "seconds": took,
        "rows": rows,
        "errors": len(result.invalid_rows) + len(result.row_errors()),
    }


def child(mode: str, path: str, rows: int) -> None:
    setup(0)
    out = measure(Path(path)) if mode == "measure" else baseline(Path(path), rows)
    out["peak_mb"] = peak_mb()
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=200_000)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    setup(args.learners)
    csv_path, xlsx_path, _ = make_files(args.rows)
    print(
        f"files: {csv_path.name} ({csv_path.stat().st_size / 1e6:.1f} MB), "
        f"{xlsx_path.name} ({xlsx_path.stat().st_size / 1e6:.1f} MB)"
    )
    results = {}
    for label, path in (("CSV", csv_path), ("XLSX", xlsx_path)):
        r = run_child(__file__, "measure", str(path), "0")
        results[label] = r
        print(
            f"{label:5} validate {r['validate']:6.2f} s + apply {r['apply']:6.2f} s = "
            f"{r['total']:6.2f} s, peak {r['peak_mb']:5.0f} MB; {r['rows']:,.0f} rows: "
            f"{r['new']:,.0f} new, {r['updated']:,.0f} updated, {r['problem_rows']:,.0f} "
            f"rows with errors ({r['problems']:,.0f} problems) all reported"
        )
    base = run_child(__file__, "baseline", str(csv_path), str(args.baseline_rows))
    per_row = base["seconds"] / base["rows"]
    scaled = per_row * args.rows
    csv_total = results["CSV"]["total"]
    print(
        f"baseline: django-import-export ModelResource, {base['rows']:,.0f} rows in "
        f"{base['seconds']:.2f} s ({per_row * 1000:.2f} ms/row), {args.rows:,} rows ~ "
        f"{scaled:.1f} s, peak {base['peak_mb']:.0f} MB"
    )
    xlsx_ratio = results["XLSX"]["total"] / csv_total
    print(
        f"\nCSV {csv_total:.2f} s (target <= 10), peak {results['CSV']['peak_mb']:.0f} MB "
        f"(target <= 150); XLSX {xlsx_ratio:.2f}x the CSV time (target <= 2); "
        f"{scaled / csv_total:.1f}x faster than the baseline (target >= 15)"
    )


if __name__ == "__main__":
    main()
