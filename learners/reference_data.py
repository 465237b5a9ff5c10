"""Reading the reference data shipped in learners/data/ (see LICENCE.md there)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def standards() -> Iterator[dict[str, str]]:
    return _rows("apprenticeship_standards.csv")


@cache
def english_outcodes() -> tuple[str, ...]:
    """Geographic outcodes in England (non-geographic 99/PO-box districts left out)."""
    return tuple(
        row["outcode"]
        for row in _rows("uk_postcode_outcodes.csv")
        if row["country"] == "England"
        and not row["outcode"].endswith("99")
        and int(row["postcode_count"]) >= 50
    )
