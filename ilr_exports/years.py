"""Collection years: one unit each (schema, year code, namespace, dates). Adding 2026-27 is
a new schema file in ilr_exports/schemas/ and a new entry here (with its own element
mapping in services.py if the year changes elements)."""

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
CURRENT_YEAR = YEARS["2526"]


@cache
def schema_for(year: CollectionYear) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / year.schema_file)))
