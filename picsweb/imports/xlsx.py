"""Reading the first sheet of an XLSX workbook, bounded by what the file really holds.

A workbook is a zip of XML parts; a hostile one declares a huge used range (<dimension>), puts
one cell at XFD1048576, or holds one enormous shared string, and a reader that trusts those
allocates gigabytes. This reader streams the sheet XML (lxml iterparse, elements freed as they
are read), ignores the declared dimension, and refuses, with a plain message naming the row and
column, a cell beyond the column or row limit or longer than the cell limit. A formula is an
<f> element, however the tag is written.

It runs in a process of its own (`python -m picsweb.imports.xlsx LIMITS_JSON PATH`, no Django),
under an address-space limit (RLIMIT_AS), writing one JSON line per row to its standard output:
a file that needs more memory than allowed ends that process, never the worker. The parent side
is `read_xlsx_rows` in reading.py.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import IO, Any

MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict Open XML
)
REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
# Built-in number formats that show a date or time (ECMA-376 18.8.30).
DATE_FORMAT_IDS = {*range(14, 23), *range(45, 48)}
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
MEMORY_MESSAGE = (
    "This file needs more memory than allowed to read it ({limit} MB). Save it again in "
    "Excel (it may hold much more than it shows) or split it into smaller files."
)


class XlsxError(Exception):
    """The workbook cannot be read; the message says why, plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooLong:
    """A shared string longer than a cell may be: kept as its length only."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _unescape(text: str) -> str:
    """ST_Xstring escapes (_x000B_ is a vertical tab): what Excel writes for characters XML
    cannot hold."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Limits:
    def __init__(self, *, max_rows: int, max_columns: int, max_cell_chars: int, memory_mb: int):
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.max_cell_chars = max_cell_chars
        self.memory_mb = memory_mb

    def as_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, text: str) -> Limits:
        return cls(**json.loads(text))


def _parse_part(archive: zipfile.ZipFile, name: str, limits: Limits) -> Any:
    """A small part (workbook, rels, styles) as a tree, refused when it is not small."""
    from lxml import etree

    info = archive.getinfo(name)
    if info.file_size > 20 * 1024 * 1024:
        raise XlsxError(MEMORY_MESSAGE.format(limit=limits.memory_mb))
    with archive.open(info) as part:
        return etree.parse(part, etree.XMLParser(resolve_entities=False, no_network=True))


def _first_sheet(
    archive: zipfile.ZipFile, limits: Limits, sheet: str | None = None
) -> tuple[str, bool, int]:
    """The path of the first worksheet in the workbook (or of the one named `sheet`, its name
    compared ignoring case), whether dates count from 1904, and the sheet's position."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise XlsxError("This is not an Excel workbook (it has no xl/workbook.xml).")
    workbook = _parse_part(archive, "xl/workbook.xml", limits).getroot()
    date1904 = False
    target = None
    position = -1
    found = None
    for element in workbook.iter():
        name = _local(str(element.tag))
        if name == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet" and found is None:
            position += 1
            if sheet is not None and element.get("name", "").strip().lower() != sheet.lower():
                continue
            found = position
            ids = (element.get(f"{{{ns}}}id") for ns in REL_NAMESPACES)
            rel_id = next((i for i in ids if i), None)
            target = _rel_target(archive, rel_id, limits) if rel_id else None
    if sheet is not None and found is None:
        raise XlsxError(
            f"The workbook has no sheet named '{sheet}': use the workbook this import's "
            "export gives, with its sheets as they are."
        )
    if target is None:
        target = f"xl/worksheets/sheet{(found or 0) + 1}.xml"
    if target not in names:
        raise XlsxError("The sheet to read is missing from the file.")
    return target, date1904, found or 0


def _rel_target(archive: zipfile.ZipFile, rel_id: str, limits: Limits) -> str | None:
    if "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return None
    rels = _parse_part(archive, "xl/_rels/workbook.xml.rels", limits).getroot()
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = str(rel.get("Target", ""))
            if target.startswith("/"):
                return target.lstrip("/")
            parts: list[str] = ["xl"]
            for piece in target.split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece not in ("", "."):
                    parts.append(piece)
            return "/".join(parts)
    return None


def _date_styles(archive: zipfile.ZipFile, limits: Limits) -> set[int]:
    """The positions in cellXfs of the styles that show a date or time."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = _parse_part(archive, "xl/styles.xml", limits).getroot()
    custom: dict[int, bool] = {}
    dated: set[int] = set()
    for element in root.iter():
        name = _local(str(element.tag))
        if name == "numFmt":
            try:
                number = int(element.get("numFmtId", ""))
            except ValueError:
                continue
            code = _FORMAT_NOISE.sub("", element.get("formatCode", "")).lower()
            custom[number] = bool(code) and any(ch in code for ch in "dmyhs") and code != "general"
        elif name == "cellXfs":
            for position, xf in enumerate(element):
                try:
                    number = int(xf.get("numFmtId", "0"))
                except ValueError:
                    continue
                if custom.get(number, number in DATE_FORMAT_IDS):
                    dated.add(position)
    return dated


def _shared_strings(archive: zipfile.ZipFile, limits: Limits) -> list[str | TooLong]:
    from lxml import etree

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    info = archive.getinfo("xl/sharedStrings.xml")
    _check_shared_strings_size(info, limits)
    strings: list[str | TooLong] = []
    with archive.open(info) as part:
        tags = [f"{{{ns}}}si" for ns in MAIN_NAMESPACES]
        for _, element in etree.iterparse(part, events=("end",), tag=tags):
            text = _item_text(element)
            strings.append(TooLong(len(text)) if len(text) > limits.max_cell_chars else text)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
    return strings


def _check_shared_strings_size(info: zipfile.ZipInfo, limits: Limits) -> None:
    """The shared strings are held in memory whole (cells refer to them by position), at
    several bytes for each byte of XML: refused up front when that cannot fit."""
    if info.file_size * 4 > limits.memory_mb * 1024 * 1024:
        raise XlsxError(MEMORY_MESSAGE.format(limit=limits.memory_mb))


def _item_text(element: Any) -> str:
    """The text of an <si> or <is>: its <t>, or the <t> of each rich-text run (<r>), but not
    the phonetic guide (<rPh>)."""
    pieces = []
    for child in element:
        name = _local(str(child.tag))
        if name == "t":
            pieces.append(child.text or "")
        elif name == "r":
            pieces.extend(t.text or "" for t in child if _local(str(t.tag)) == "t")
    return _unescape("".join(pieces))


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _as_date(serial: float, date1904: bool) -> date | datetime | time:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    if not date1904 and serial < 60:
        serial += 1  # Excel's 29/02/1900, which never was
    if 0 <= serial < 1:
        moment = base + timedelta(days=serial)
        return moment.time()
    moment = base + timedelta(days=serial)
    if serial == int(serial):
        return moment.date()
    return moment


def read_rows(
    handle: IO[bytes],
    limits: Limits,
    on_count: Callable[[int], None] | None = None,
    sheet: str | None = None,
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) for the rows of the first sheet (or the one named `sheet`). Cells
    are str, int, float, bool,
    date, datetime, time, timedelta, None, or {"formula": text}.

    A first pass over the sheet's XML (regular expressions, no parsing) finds formulas and
    cells beyond the limits. A workbook without formulas is then read by calamine (fast); its
    memory follows the cells' own positions, which that pass has bounded. A workbook with
    formulas is read by the streaming parser below, which names each formula's cell."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as error:
        raise XlsxError(f"The XLSX file cannot be opened ({error}).") from None
    with archive:
        sheet_name, date1904, position = _first_sheet(archive, limits, sheet)
        if "xl/sharedStrings.xml" in archive.namelist():
            _check_shared_strings_size(archive.getinfo("xl/sharedStrings.xml"), limits)
        parse, count = _scan_sheet(archive, sheet_name, limits)
        if on_count:
            on_count(count)  # before the first row: the progress bar has its length
        if parse:
            yield from _parse_rows(archive, sheet_name, date1904, limits)
            return
    yield from _calamine_rows(handle, limits, position)


# Formula elements, prefixed or not; each pattern starts with a literal, so it is searched for
# quickly. A false match (an element merely named f) only sends the file the slower way.
_FORMULA_TAGS = (re.compile(rb"<f[\s/>]"), re.compile(rb":f[\s/>]"))
# A cell whose tag is not `<c r="A1"…` as every usual writer puts it (r = 'XFD1', r='A1', a
# lower-case column, r after another attribute, no r at all) would escape the patterns below,
# or be placed by position: such a sheet is read the streaming way, which reads every form.
# Each pattern needs the bytes after the tag, so a tag cut by a chunk's end is not a match
# (the next chunk starts with the cut tag).
# Cells and rows with a namespace prefix (<x:c>, rare) are read the streaming way too.
_UNUSUAL_CELL = re.compile(rb"""<c(?:[>/\t\r\n]| (?:[^r]|r[^=]|r=[^"]|r="[^A-Z]))""")
_PREFIXED = re.compile(rb":(?:c[\s>/]|row\b)")
# calamine holds the rectangle from the first to the last cell, filled or not (about 32 bytes
# a cell). A sheet whose rectangle is much larger than the cells it holds (A1 and GR500001) is
# read the streaming way.
RECTANGLE_SLACK = 4_000_000  # cells of rectangle allowed beyond eight times the real ones


def _scan_sheet(archive: zipfile.ZipFile, name: str, limits: Limits) -> tuple[bool, int]:
    """Whether the sheet must be parsed (it holds formulas, cells written unusually or a
    rectangle far larger than its cells), and about how many rows it has; refuses a cell or
    row beyond the limits."""
    letters = len(column_letters(limits.max_columns))
    digits = len(str(limits.max_rows + 1))
    # Only references long enough to pass a limit come back to Python.
    far_column = re.compile(rb'r="([A-Z]{%d,})(\d+)"' % letters)
    far_row = re.compile(rb'r="[A-Z]{0,3}(\d{%d,})"' % digits)
    parse = False
    count = cells = max_row = 0
    max_column = 26 ** (letters - 1)  # the widest a reference too short to be looked at
    tail = b""
    with archive.open(name) as sheet:
        while chunk := sheet.read(1 << 20):
            text = tail + chunk
            parse = (
                parse
                or any(p.search(text) for p in _FORMULA_TAGS)
                or _UNUSUAL_CELL.search(text) is not None
                or _PREFIXED.search(text) is not None
            )
            count += chunk.count(b"<row")
            cells += chunk.count(b"<c ")
            for found_letters, found_row in set(far_column.findall(text)):
                column = _column_number(found_letters.decode())
                if column > limits.max_columns:
                    _too_far_right(int(found_row), column, limits)
                max_column = max(max_column, column)
                max_row = max(max_row, int(found_row))
            for found_row in set(far_row.findall(text)):
                if int(found_row) > limits.max_rows + 1:
                    _too_far_down(int(found_row), limits)
                max_row = max(max_row, int(found_row))
            tail = chunk[-40:]
    # A row is far down only through its cells' references: those in wide columns and those
    # with long row numbers are seen above; the rest span at most 26 columns by 10^(digits-1)
    # rows, which the slack allows.
    rectangle = max(max_row, count) * max_column
    return parse or rectangle > 8 * cells + RECTANGLE_SLACK, count


def _too_far_right(number: int, column: int, limits: Limits) -> None:
    raise XlsxError(
        f"Row {number:,} has a cell in column {column_letters(column)} (column {column:,}); "
        f"this import reads at most {limits.max_columns:,} columns. Delete the columns to the "
        "right of your data."
    )


def _too_far_down(number: int, limits: Limits) -> None:
    raise XlsxError(
        f"The sheet has a row {number:,}; this import reads at most {limits.max_rows:,} rows "
        "after the header. Delete the rows below your data, or split the file."
    )


def _calamine_rows(
    handle: IO[bytes], limits: Limits, position: int = 0
) -> Iterator[tuple[int, list[Any]]]:
    from python_calamine import CalamineWorkbook

    handle.seek(0)
    sheet = CalamineWorkbook.from_filelike(handle).get_sheet_by_index(position)
    first = (sheet.start or (0, 0))[0] + 1  # rows above the used area are not read
    for number, record in enumerate(sheet.iter_rows(), start=first):
        # The range is dense: rows and cells that hold nothing are not sent on.
        if record.count("") == len(record):
            continue
        while record[-1] == "":
            record.pop()
        yield number, record


def _parse_rows(
    archive: zipfile.ZipFile, sheet_name: str, date1904: bool, limits: Limits
) -> Iterator[tuple[int, list[Any]]]:
    from lxml import etree

    dated = _date_styles(archive, limits)
    strings = _shared_strings(archive, limits)
    row_tags = [f"{{{ns}}}row" for ns in MAIN_NAMESPACES]
    with archive.open(sheet_name) as part:
        previous_row = 0
        for _, element in etree.iterparse(part, events=("end",), tag=row_tags):
            number = _row_number(element.get("r"), previous_row)
            previous_row = number
            cells = _row_cells(element, number, strings, dated, date1904, limits)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
            if cells:
                if number > limits.max_rows + 1:
                    _too_far_down(number, limits)
                yield number, cells


def _row_number(given: str | None, previous: int) -> int:
    if given is None:
        return previous + 1
    try:
        return int(given)
    except ValueError:
        raise XlsxError(f"The sheet has a row numbered {given[:20]!r}.") from None


def _row_cells(
    row: Any,
    number: int,
    strings: list[str | TooLong],
    dated: set[int],
    date1904: bool,
    limits: Limits,
) -> list[Any]:
    cells: list[Any] = []
    column = 0
    for cell in row:
        if _local(str(cell.tag)) != "c":
            continue
        ref = cell.get("r")
        if ref is not None:
            match = _CELL_REF.match(ref.strip().upper())
            if match is None:
                raise XlsxError(f"Row {number} has a cell named {ref[:20]!r}.")
            column = _column_number(match.group(1))
        else:
            column += 1
        value = _cell_value(cell, number, column, strings, dated, date1904, limits)
        if value is None:  # an empty cell, however far, costs nothing
            continue
        if column > limits.max_columns:
            _too_far_right(number, column, limits)
        if len(cells) < column - 1:
            cells.extend([None] * (column - 1 - len(cells)))
        if len(cells) == column - 1:
            cells.append(value)
        else:
            cells[column - 1] = value
    return cells


def _cell_value(
    cell: Any,
    number: int,
    column: int,
    strings: list[str | TooLong],
    dated: set[int],
    date1904: bool,
    limits: Limits,
) -> Any:
    kind = cell.get("t", "n")
    raw: str | None = None
    formula: str | None = None
    inline: Any = None
    for child in cell:
        name = _local(str(child.tag))
        if name == "v":
            raw = child.text
        elif name == "f":
            formula = child.text or ""
        elif name == "is":
            inline = child
    if formula is not None:
        return {"formula": "=" + formula if formula else "=(shared formula)"}
    value: Any
    if kind == "s":
        try:
            value = strings[int(raw or "")]
        except (ValueError, IndexError):
            raise XlsxError(
                f"Row {number}, column {column_letters(column)}: the cell refers to a text "
                "the workbook does not hold."
            ) from None
        if isinstance(value, TooLong):
            _too_long(number, column, value.length, limits)
    elif kind == "inlineStr":
        value = _item_text(inline) if inline is not None else ""
    elif raw is None:
        return None
    elif kind in ("str", "e"):
        value = _unescape(raw)
    elif kind == "b":
        value = raw.strip() in ("1", "true")
    elif kind == "d":
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = raw
    else:
        try:
            value = _number(raw)
        except ValueError:
            raise XlsxError(
                f"Row {number}, column {column_letters(column)}: {raw[:20]!r} is not a number."
            ) from None
        style = cell.get("s")
        if style is not None and dated and int(style) in dated:
            with contextlib.suppress(OverflowError, ValueError):  # not a date after all
                value = _as_date(float(value), date1904)
        return value
    if isinstance(value, str) and len(value) > limits.max_cell_chars:
        _too_long(number, column, len(value), limits)
    return value


def _too_long(number: int, column: int, length: int, limits: Limits) -> None:
    raise XlsxError(
        f"Row {number}, column {column_letters(column)} holds {length:,} characters; a cell may "
        f"hold at most {limits.max_cell_chars:,}."
    )


# --- the child process ------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    raise TypeError(type(value).__name__)


BATCH_ROWS = 100  # rows to a line: fewer, longer lines are cheaper to write and read


def _send(batch: list[tuple[int, list[Any]]], out: IO[str], limits: Limits) -> None:
    """One line of rows. Most lines are shorter than a cell may be, which proves no cell of
    them is too long; only longer lines are looked at cell by cell."""
    if not batch:
        return
    line = json.dumps(batch, default=_encode)
    if len(line) > limits.max_cell_chars:
        for number, cells in batch:
            for column, value in enumerate(cells, start=1):
                if type(value) is str and len(value) > limits.max_cell_chars:
                    _too_long(number, column, len(value), limits)
    out.write(line + "\n")


def main() -> None:
    limits = Limits.from_json(sys.argv[1])
    out = sys.stdout
    try:
        import resource

        limit = limits.memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)  # a limit can be lowered only
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        with open(sys.argv[2], "rb") as handle:

            def on_count(count: int) -> None:
                out.write(json.dumps({"rows": count}) + "\n")

            batch: list[tuple[int, list[Any]]] = []
            sheet = sys.argv[3] if len(sys.argv) > 3 else None
            for number, cells in read_rows(handle, limits, on_count, sheet):
                batch.append((number, cells))
                if len(batch) == BATCH_ROWS:
                    _send(batch, out, limits)
                    batch = []
            _send(batch, out, limits)
        out.write(json.dumps({"end": True}) + "\n")
    except XlsxError as error:
        out.write(json.dumps({"error": error.message}) + "\n")
    except MemoryError:
        out.write(json.dumps({"error": MEMORY_MESSAGE.format(limit=limits.memory_mb)}) + "\n")
    except Exception as error:  # lxml's syntax errors, a broken zip member, …
        message = str(error)[:200]
        out.write(json.dumps({"error": f"The XLSX file cannot be read ({message})."}) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
