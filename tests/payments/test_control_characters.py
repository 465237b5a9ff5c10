"""Issue 11 item 8: text the database or the report writers cannot hold is refused at
validation (row, column, message), once for every text cell, so an accepted row always
applies; and a value already in the database never breaks an XLSX download."""

import io

import pytest
from openpyxl import load_workbook

from learners.models import Role
from picsweb.imports.reading import ImportFileError
from picsweb.spreadsheets import xlsx_cell
from tests.factories import make_payment
from tests.payments.conftest import check, problems
from tests.payments.test_import_flow import confirm, upload
from tests.xlsx_files import inline, row, xlsx

HEADER = "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT,NOTES\n"
GOOD = "00001,30/10/2024,12.00,C,fine\n"
MESSAGE = "The cell holds a control character ({}) that cannot be stored: delete it."


@pytest.fixture
def staff(personas):
    return personas.client_for(personas.by_role[Role.PAYMENTS_IMPORT])


@pytest.mark.parametrize(("char", "code"), [("\x0b", "U+000B"), ("\x01", "U+0001")])
def test_it_refuses_a_control_character_naming_row_and_column(world, char, code):
    summary = check(
        world.provider, (HEADER + GOOD + f"00001,30/10/2024,1.00,C,a{char}b\n").encode()
    )
    assert (summary.accepted, summary.problem_rows) == (1, 1)
    assert problems(summary) == [(3, "NOTES", MESSAGE.format(code))]
    assert summary.problems[0].value == f"a\\x{ord(char):02x}b"


def test_a_nul_after_the_first_4_kb_is_refused_at_validation_not_apply(world, staff):
    content = HEADER + GOOD * 200 + "00001,30/10/2024,1.00,C,a\x00b\n"
    assert content.index("\x00") > 4096
    validation = upload(staff, world.provider, content)
    assert validation.report["problem_rows"] == 1
    assert validation.report["problems"][0]["column"] == "NOTES"
    assert validation.report["problems"][0]["message"] == MESSAGE.format("U+0000")
    applied = confirm(staff, validation)
    assert applied.status == "succeeded", applied.error_message
    assert applied.report["accepted"] == 200


def test_an_escaped_nul_in_xlsx_is_refused_at_validation(world):
    header = row(
        1,
        inline("A1", "IDENT"),
        inline("B1", "EXPECTED PAYMENT DATE"),
        inline("C1", "EXPECTED PAYMENT AMOUNT"),
        inline("D1", "CREDIT/DEBIT"),
        inline("E1", "NOTES"),
    )
    cells = [("A", "00001"), ("B", "30/10/2024"), ("C", "1.00"), ("D", "C"), ("E", "a_x0000_b")]
    data = xlsx([header, row(2, *(inline(f"{c}2", v) for c, v in cells))])
    summary = check(world.provider, data)
    assert problems(summary) == [(2, "NOTES", MESSAGE.format("U+0000"))]


def test_a_byte_neither_utf8_nor_windows_1252_names_its_line(world):
    data = (HEADER + "00001,30/10/2024,1.00,C,café\n").encode("cp1252") + b"00001,\x81\n"
    with pytest.raises(ImportFileError, match=r"Line 3 of the file holds a byte \(0x81\)"):
        check(world.provider, data)


def test_binary_after_4_kb_gets_a_plain_answer(world):
    data = (HEADER + GOOD * 200).encode() + bytes(range(256)) * 4
    with pytest.raises(ImportFileError, match="not text in UTF-8 or in Windows-1252"):
        check(world.provider, data)


def test_the_xlsx_report_holds_a_control_character_already_in_the_database(world, staff):
    make_payment(episode=world.episode, notes="tab\there, vertical\x0btab, \x01?")
    response = staff.post(
        "/payments/download/", {"query": f"provider={world.provider.code}", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    notes = [cell.value for cell in sheet[2] if cell.value and "tab" in str(cell.value)]
    assert notes == ["tab\there, vertical_x000B_tab, _x0001_?"]


def test_xlsx_cells_escape_text_that_looks_like_an_escape():
    from openpyxl import Workbook

    sheet = Workbook(write_only=True).create_sheet()
    assert xlsx_cell(sheet, "a_x0041_b\x01").value == "a_x005F_x0041_b_x0001_"
    assert xlsx_cell(sheet, "plain").value == "plain"
