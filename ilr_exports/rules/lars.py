"""The LARS standards lookup the rules take (Context.lars_standard), read from picsweb's
standards list (learners/data/apprenticeship_standards.csv) without touching a model, so the
rules and their tests need no database. The export may equally build the lookup from the
`Standard` rows it already holds."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from ilr_exports.rules.registry import LarsStandard

STANDARDS_CSV = (
    Path(__file__).resolve().parents[2] / "learners" / "data" / "apprenticeship_standards.csv"
)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def standards_lookup(path: Path = STANDARDS_CSV) -> Callable[[int], LarsStandard | None]:
    """std_code -> LarsStandard (approved for delivery; the last date for new starts is the
    earlier of retired and withdrawn), or None for a code LARS does not hold."""
    standards: dict[int, LarsStandard] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            closes = [d for d in (_date(row["retired_date"]), _date(row["withdrawn_date"])) if d]
            code = int(row["lars_code"])
            standards[code] = LarsStandard(
                code, _date(row["approved_for_delivery_date"]), min(closes) if closes else None
            )
    return standards.get
