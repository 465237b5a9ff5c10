"""Issue 11: hostile and wrong import files get a plain answer, bounded memory and time, and
never take the worker down."""

import io
import os
import resource
import time

import pytest

from learners.models import Role
from payments.importing import PAYMENTS
from picsweb.imports.pipeline import validate_file
from picsweb.imports.reading import ImportFileError, open_table
from tests.payments.conftest import problems
from tests.xlsx_files import inline, number, row, shared_cell, xlsx

HEADER = row(
    1,
    inline("A1", "IDENT"),
    inline("B1", "EXPECTED PAYMENT DATE"),
    inline("C1", "EXPECTED PAYMENT AMOUNT"),
    inline("D1", "CREDIT/DEBIT"),
    inline("E1", "NOTES"),
)


def good_row(n, notes="ok"):
    return row(
        n,
        inline(f"A{n}", "00001"),
        inline(f"B{n}", "30/10/2024"),
        inline(f"C{n}", "12.00"),
        inline(f"D{n}", "C"),
        inline(f"E{n}", notes),
    )


def validate(provider, data):
    summary, _, _ = validate_file(
        spec=PAYMENTS, provider=provider, handle=io.BytesIO(data), keep_problems=None
    )
    return summary


def read_all_within(data, megabytes):
    """Reads every row of `data` in a forked process whose address space is limited to
    `megabytes` more than this process has now; True when it could."""
    with open("/proc/self/status") as proc_status:
        size_kb = next(int(line.split()[1]) for line in proc_status if line.startswith("VmSize:"))
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            limit = (size_kb * 1024) + megabytes * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            table = open_table(io.BytesIO(data))
            for _ in table.rows:
                pass
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def test_it_refuses_a_value_at_xfd1048576_naming_it(world):
    data = xlsx([HEADER, good_row(2), row(1048576, inline("XFD1048576", "far"))])
    assert len(data) < 3000
    with pytest.raises(ImportFileError, match="column XFD"):
        validate(world.provider, data)


def test_it_reads_a_sparse_sheet_by_what_it_holds_not_its_declared_range(world):
    far = row(60000, inline("GR60000", "far"))  # column 200, the most allowed
    data = xlsx([HEADER, good_row(2), far], dimension="A1:GR60000")
    assert read_all_within(data, 300)
    summary = validate(world.provider, data)
    assert (summary.rows, summary.accepted) == (2, 1)
    assert problems(summary) == [
        (60000, "", "This row has more cells than the header row has columns.")
    ]


def test_a_formula_and_a_far_cell_take_seconds_not_minutes(world):
    formula = '<c r="C2"><f>1+1</f><v>2</v></c>'
    far = row(1048576, inline("XFD1048576", "far"))
    data = xlsx([HEADER, good_row(2).replace(inline("C2", "12.00"), formula), far])
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="column XFD"):
        validate(world.provider, data)
    assert time.monotonic() - started < 5


def test_it_refuses_too_many_columns_and_rows_by_settings(world, settings):
    settings.IMPORT_MAX_COLUMNS = 4
    with pytest.raises(ImportFileError, match=r"column E .*at most 4 columns"):
        validate(world.provider, xlsx([HEADER, good_row(2)]))
    settings.IMPORT_MAX_COLUMNS = 200
    settings.IMPORT_MAX_ROWS = 2
    with pytest.raises(ImportFileError, match="at most 2 rows"):
        validate(world.provider, xlsx([HEADER, good_row(2), good_row(3), good_row(4)]))
    csv = b"IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n" + (
        b"00001,30/10/2024,1.00,C\n" * 3
    )
    with pytest.raises(ImportFileError, match="more than 2 rows"):
        validate(world.provider, csv)


def test_it_refuses_a_cell_longer_than_allowed_naming_it(world):
    data = xlsx(
        [HEADER, good_row(2).replace(inline("E2", "ok"), shared_cell("E2", 0))],
        shared=["n" * 40_000],
    )
    with pytest.raises(ImportFileError, match="Row 2, column E holds 40,000 characters"):
        validate(world.provider, data)


def test_it_refuses_a_huge_shared_string_within_the_memory_limit(world, settings):
    settings.IMPORT_MEMORY_LIMIT_MB = 100

    def huge():
        yield "x" * (60 * 1024 * 1024)

    data = xlsx([HEADER, good_row(2)], shared=huge())
    assert len(data) < 200_000
    with pytest.raises(ImportFileError, match="This file needs more memory than allowed"):
        validate(world.provider, data)


def test_a_reader_that_runs_out_of_memory_fails_with_a_message(world, settings):
    settings.IMPORT_MEMORY_LIMIT_MB = 64
    texts = (f"{n:012d}" for n in range(700_000))  # passes the size check, not the limit
    data = xlsx([HEADER, good_row(2)], shared=texts)
    with pytest.raises(ImportFileError, match="This file needs more memory than allowed"):
        validate(world.provider, data)


@pytest.mark.parametrize("tag", ["<f\n>1+1</f\n>", '<f  t="normal">1+1</f>', "<f\t/>"])
def test_it_finds_a_formula_however_its_tag_is_written(world, tag):
    cell = f'<c r="C2">{tag}<v>2</v></c>'
    data = xlsx([HEADER, good_row(2).replace(inline("C2", "12.00"), cell)])
    summary = validate(world.provider, data)
    assert summary.accepted == 0
    assert problems(summary)[0][1:] == (
        "EXPECTED PAYMENT AMOUNT",
        "The cell holds a formula: enter the value itself (copy the cells, then paste as values).",
    )


def test_it_reads_dates_numbers_and_shared_strings(world):
    styles_free = xlsx(
        [
            HEADER,
            row(
                2,
                shared_cell("A2", 0),
                inline("B2", "30/10/2024"),
                number("C2", "12"),
                inline("D2", "C"),
                shared_cell("E2", 1),
            ),
        ],
        shared=["00001", "a &amp; b"],
    )
    summary = validate(world.provider, styles_free)
    assert (summary.accepted, problems(summary)) == (1, [])


def test_a_far_cell_written_unusually_still_only_fails_its_file(world):
    far = "<row r='1048576'><c r = 'XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    data = xlsx([HEADER, good_row(2), far])
    with pytest.raises(ImportFileError, match="Row 1,048,576 has a cell in column XFD"):
        validate(world.provider, data)


def test_the_progress_bar_knows_an_xlsx_files_length_before_its_rows_are_read(
    world, personas, monkeypatch
):
    from django.core.files.base import ContentFile

    from picsweb import jobs
    from picsweb.imports.pipeline import import_start

    owner = personas.by_role[Role.PAYMENTS_IMPORT]
    data = xlsx([HEADER, *(good_row(n) for n in range(2, 2502))])
    job = import_start(
        spec=PAYMENTS, owner=owner, provider=world.provider, upload=ContentFile(data, "p.xlsx")
    )
    totals = []
    original = jobs.Progress.__call__

    def spy(self, done):
        totals.append((done, self.job.progress_total))
        original(self, done)

    monkeypatch.setattr(jobs.Progress, "__call__", spy)  # watches it; the rows stay real
    jobs.job_run(job_id=job.pk)
    assert totals[0] == (2000, 2500)  # the first chunk already counts against the whole


def test_a_sheet_of_two_cells_far_apart_is_read_by_its_cells_within_the_limits(world, settings):
    """A1 and GR500001 are both within the limits, but the rectangle between them is 100
    million cells: read the cells, not the rectangle."""
    settings.IMPORT_MEMORY_LIMIT_MB = 300
    far = row(500001, inline("GR500001", "far"))
    data = xlsx([HEADER, good_row(2), far])
    summary = validate(world.provider, data)
    assert (summary.rows, summary.accepted) == (2, 1)
    assert problems(summary) == [
        (500001, "", "This row has more cells than the header row has columns.")
    ]


@pytest.mark.parametrize(
    "far",
    [
        "<row r='9'><c r='XFD9' t='inlineStr'><is><t>x</t></is></c></row>",
        '<row r="9"><c r="xfd9" t="inlineStr"><is><t>x</t></is></c></row>',
        '<row r="9"><c t="inlineStr" r="XFD9"><is><t>x</t></is></c></row>',
    ],
)
def test_a_far_reference_written_unusually_is_refused_by_its_column(world, far):
    data = xlsx([HEADER, good_row(2), far])
    with pytest.raises(ImportFileError, match="Row 9 has a cell in column XFD"):
        validate(world.provider, data)


def test_cells_without_references_far_down_are_read_by_their_cells(world, settings):
    """Cells placed by position: a wide row, then many empty rows and one more cell."""
    settings.IMPORT_MEMORY_LIMIT_MB = 300
    wide = "<row>" + "<c t='inlineStr'><is><t>w</t></is></c>" * 150 + "</row>"
    data = xlsx([HEADER, good_row(2), wide, "<row/>" * 400_000, good_row(400_004)])
    summary = validate(world.provider, data)
    assert summary.accepted == 2
    assert problems(summary) == [
        (3, "", "This row has more cells than the header row has columns.")
    ]
