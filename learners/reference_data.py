"""Reading the reference data shipped in learners/data/ (see LICENCE.md there)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

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


def load_standards(standard_model: Any) -> int:
    """Loads the LARS standards into `standard_model` (the model, or its historical version
    in a migration), leaving rows that exist alone. Returns how many rows the file has."""
    rows = [
        standard_model(
            lars_code=int(row["lars_code"]),
            ifate_reference=row["ifate_reference"],
            title=row["title"][:300],
            level=int(row["level"]),
            status=row["status"],
            max_funding=int(row["max_funding_gbp"]) if row["max_funding_gbp"] else None,
            typical_duration_months=(
                int(row["typical_duration_months"]) if row["typical_duration_months"] else None
            ),
        )
        for row in standards()
    ]
    standard_model.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@cache
def outcode_countries() -> dict[str, str]:
    """Outcode -> England, Scotland or Wales."""
    return {row["outcode"]: row["country"] for row in _rows("uk_postcode_outcodes.csv")}


@cache
def outcode_districts() -> dict[str, str]:
    """Outcode -> its local authority district (e.g. LS6 -> Leeds)."""
    return {row["outcode"]: row["admin_district"] for row in _rows("uk_postcode_outcodes.csv")}


def postcode_district(postcode: str) -> str:
    """The local authority district of a postcode ('' when unknown)."""
    outcode = postcode.strip().upper().split(" ")[0] if postcode.strip() else ""
    return outcode_districts().get(outcode, "")


@cache
def outcode_centroids() -> dict[str, tuple[float, float]]:
    """Outcode -> (latitude, longitude) of its postcodes' centre."""
    return {
        row["outcode"]: (float(row["latitude"]), float(row["longitude"]))
        for row in _rows("uk_postcode_outcodes.csv")
        if row["latitude"] and row["longitude"]
    }


@cache
def district_centroids() -> dict[str, tuple[str, float, float]]:
    """Upper-case local authority district (a town or city: LEEDS) -> (its name, and the
    centre of its outcodes weighted by their postcodes)."""
    sums: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for row in _rows("uk_postcode_outcodes.csv"):
        if not row["latitude"] or not row["admin_district"]:
            continue
        key = row["admin_district"].upper()
        weight = float(row["postcode_count"] or 1)
        entry = sums.setdefault(key, [0.0, 0.0, 0.0])
        entry[0] += float(row["latitude"]) * weight
        entry[1] += float(row["longitude"]) * weight
        entry[2] += weight
        names[key] = row["admin_district"]
    return {key: (names[key], s[0] / s[2], s[1] / s[2]) for key, s in sums.items()}
