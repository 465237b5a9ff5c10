"""What validation makes of each row: the row as read, its problems (row, column, value,
message) and the change it would make (new / update / unchanged, before -> after)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from picsweb.imports.reading import Cell

if TYPE_CHECKING:
    pass


CHUNK_ROWS = 2000
PREVIEW_PROBLEMS = 500
PREVIEW_CHANGES = 200
ERRORS_COLUMN = "ERRORS"


@dataclass
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: list[Cell]
    index: dict[str, int]

    def get(self, column: str) -> Cell:
        position = self.index.get(column)
        if position is None or position >= len(self.cells):
            return None
        value = self.cells[position]
        return None if value == "" else value

    def has(self, column: str) -> bool:
        return column in self.index


NAMED_AT_MOST = 10  # names or problems listed in one message, then "and N more"


def named(names: Sequence[str], limit: int = NAMED_AT_MOST) -> str:
    """Names from a file, quoted and listed in a message of bounded length: a header of 10,000
    columns must not make a page or an email of 300 KB."""
    shown = ", ".join(repr(n if len(n) <= 40 else n[:39] + "…") for n in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str

    def __post_init__(self) -> None:
        if len(self.value) > 200:  # a report lists hundreds: each one bounded
            self.value = self.value[:199] + "…"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Change:
    row: int
    action: str  # "new", "update" or "unchanged"
    label: str  # what the user recognises the record by
    diffs: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)
    payload: Any = None  # what the spec's apply needs
    notes: list[str] = field(default_factory=list)  # what the user should know of the row
