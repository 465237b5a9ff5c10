"""Collection years: one unit each (schema, year code, namespace, dates). Adding 2026-27 is
a new schema file in ilr_exports/schemas/ and a new entry here (with its own element
mapping in services.py if the year changes elements): docs/ilr.md, "Adding a collection
year"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@dataclass(frozen=True)
class CollectionYear:
    code: str  # in the file name and Header/CollectionDetails/Year
    namespace: str
    schema_file: str
    starts: date
    ends: date

    @property
    def label(self) -> str:
        return f"{self.starts.year}-{str(self.ends.year)[2:]}"


YEARS = {
    "2526": CollectionYear(
        code="2526",
        namespace="ESFA/ILR/2025-26",
        schema_file="schemafile25.xsd",
        starts=date(2025, 8, 1),
        ends=date(2026, 7, 31),
    ),
}

# Installed years, newest first: what the Create page offers.
INSTALLED = sorted(YEARS.values(), key=lambda year: year.starts, reverse=True)
NEWEST = INSTALLED[0]
CURRENT_YEAR = NEWEST  # the default year of a new export


@dataclass(frozen=True)
class MissingYear:
    """The collection year a day falls in when picsweb holds no schema for it: what to
    install, said plainly on the Create page."""

    label: str  # 2026-27
    code: str  # 2627
    namespace: str  # ESFA/ILR/2026-27
    schema_file: str  # schemafile26.xsd, as ESFA names it
    starts: date
    ends: date


def year_starting(day: date) -> tuple[date, date]:
    """1 August - 31 July of the collection year `day` falls in."""
    first = day.year if day.month >= 8 else day.year - 1
    return date(first, 8, 1), date(first + 1, 7, 31)


def missing_year(today: date) -> MissingYear | None:
    """The year `today` falls in, when it is past the end of the newest installed one."""
    if today <= NEWEST.ends:
        return None
    starts, ends = year_starting(today)
    short = f"{starts.year % 100:02d}{ends.year % 100:02d}"
    label = f"{starts.year}-{ends.year % 100:02d}"
    return MissingYear(
        label=label,
        code=short,
        namespace=f"ESFA/ILR/{label}",
        schema_file=f"schemafile{starts.year % 100:02d}.xsd",
        starts=starts,
        ends=ends,
    )


@cache
def schema_for(year: CollectionYear) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / year.schema_file)))
