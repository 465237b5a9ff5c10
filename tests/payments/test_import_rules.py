"""Each rule of seed 004, one bad value at a time, and how a file is read."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from payments.models import PaymentRecord
from picsweb.imports.reading import ImportFileError
from tests.factories import make_episode, make_learner, make_payment
from tests.payments.conftest import check, csv_bytes, problems

HEADER = "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT"


def one_row(world, **cells):
    """A file with one new-record row, `cells` replacing the good defaults."""
    row = {
        "IDENT": "00001",
        "EXPECTED PAYMENT DATE": "30/10/2024",
        "EXPECTED PAYMENT AMOUNT": "12.00",
        "CREDIT/DEBIT": "C",
    } | cells
    handle = io.StringIO()
    writer = csv.writer(handle)
    writer.writerow(row)
    writer.writerow(row.values())
    return check(world.provider, csv_bytes(handle.getvalue()))


def test_it_accepts_a_good_new_record(world):
    summary = one_row(world)
    assert (summary.accepted, summary.new, summary.problem_rows) == (1, 1, 0)


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"IDENT": "00009"}, "IDENT", "No episode has this IDENT."),
        ({"IDENT": "1"}, "IDENT", "Excel may have dropped its leading zeros"),
        ({"IDENT": "ABCDEF"}, "IDENT", "An IDENT is 5 characters"),
        ({"IDENT": " 00001"}, "IDENT", "Remove the spaces"),
        ({"EXPECTED PAYMENT DATE": "2024-10-30"}, "EXPECTED PAYMENT DATE", "dd/mm/yyyy"),
        ({"EXPECTED PAYMENT DATE": "31/02/2024"}, "EXPECTED PAYMENT DATE", "does not exist"),
        ({"EXPECTED PAYMENT DATE": ""}, "EXPECTED PAYMENT DATE", "Give an EXPECTED PAYMENT DATE"),
        ({"EXPECTED PAYMENT AMOUNT": "12.345"}, "EXPECTED PAYMENT AMOUNT", "at most 2 decimal"),
        ({"EXPECTED PAYMENT AMOUNT": "£12"}, "EXPECTED PAYMENT AMOUNT", "without the £"),
        ({"EXPECTED PAYMENT AMOUNT": "12,50"}, "EXPECTED PAYMENT AMOUNT", "pounds and pence"),
        ({"EXPECTED PAYMENT AMOUNT": "-5.00"}, "EXPECTED PAYMENT AMOUNT", "pounds and pence"),
        ({"CREDIT/DEBIT": "X"}, "CREDIT/DEBIT", "Give one of: C, D."),
        ({"CREDIT/DEBIT": ""}, "CREDIT/DEBIT", "Give C (credit) or D (debit)"),
        ({"SYSTEM TYPE": "APTB_PMR4"}, "SYSTEM TYPE", "APTB_PMR1, APTB_PMR2, APTB_PMR3"),
        ({"SYSTEM TYPE": "APTB_PMR3"}, "CREDIT/DEBIT", "APTB_PMR3 records are always D."),
        ({"PAYMENT STATUS": "Done"}, "PAYMENT STATUS", "Ready for Invoice"),
        ({"PAYMENT ITEM CODE": "NOPE"}, "PAYMENT ITEM CODE", "not in the Payment Items list"),
        ({"ORGANISATION ID": "EMP999"}, "ORGANISATION ID", "No organisation has this"),
        ({"ORGANISATION FROM EMPLOYER": "N"}, "ORGANISATION FROM EMPLOYER", "blank or give: Y"),
        ({"INVOICE DATE": "1/13/2024"}, "INVOICE DATE", "does not exist"),
        ({"INVOICE NUMBER": "X" * 51}, "INVOICE NUMBER", "At most 50 characters"),
        (
            {"LEARNER REFERENCE NUMBER": "OTHER"},
            "LEARNER REFERENCE NUMBER",
            "belongs to learner LRN1",
        ),
        ({"PO NUMBER": "P" * 201}, "PO NUMBER", "At most 200 characters"),
    ],
)
def test_it_reports_each_broken_rule_for_its_row_and_column(world, cells, column, message):
    summary = one_row(world, **cells)
    assert summary.accepted == 0
    assert any(c == column and message in m for _, c, m in problems(summary)), problems(summary)
    assert all(row == 2 for row, _, _ in problems(summary))


def test_it_derives_credit_debit_and_organisation_for_pmrs(world):
    summary = one_row(world, **{"SYSTEM TYPE": "APTB_PMR3", "CREDIT/DEBIT": ""})
    assert summary.accepted == 1


def test_it_finds_the_episode_from_lrn_and_episode_start_or_payment_date(world):
    by_start = one_row(
        world, IDENT="", **{"LEARNER REFERENCE NUMBER": "LRN1", "EPISODE START": "01/09/2025"}
    )
    assert by_start.accepted == 1
    by_date = one_row(world, IDENT="", **{"LEARNER REFERENCE NUMBER": "LRN1"})
    assert by_date.accepted == 1  # 30/10/2024 falls in episode 00001 only
    outside = one_row(
        world,
        IDENT="",
        **{"LEARNER REFERENCE NUMBER": "LRN1", "EXPECTED PAYMENT DATE": "15/08/2025"},
    )
    assert "No episode of learner LRN1 covers this date" in problems(outside)[0][2]
    wrong_start = one_row(
        world, IDENT="", **{"LEARNER REFERENCE NUMBER": "LRN1", "EPISODE START": "02/09/2025"}
    )
    assert problems(wrong_start)[0][1] == "EPISODE START"
    nobody = one_row(world, IDENT="", **{"LEARNER REFERENCE NUMBER": "NOBODY"})
    assert "No learner has this learner reference number." in problems(nobody)[0][2]


def test_it_never_finds_another_providers_episode(world, personas):
    theirs = make_learner(provider=personas.other_provider, lrn="THEIRS")
    make_episode(learner=theirs, ident="00077")
    assert problems(one_row(world, IDENT="00077"))[0][2] == "No episode has this IDENT."


class TestUpdates:
    def test_it_updates_only_by_internal_record_id_cross_checked_with_ident(self, world):
        record = make_payment(episode=world.episode)
        good = check(
            world.provider,
            csv_bytes(
                "INTERNAL RECORD ID,IDENT,ACTUAL PAYMENT DATE,ACTUAL PAYMENT AMOUNT\n"
                f"{record.internal_id},00001,14/11/2024,11.50\n"
            ),
        )
        assert (good.updated, good.problem_rows) == (1, 0)
        assert good.changes[0]["diffs"] == [
            ("ACTUAL PAYMENT DATE", "", "14/11/2024"),
            ("ACTUAL PAYMENT AMOUNT", "", "11.50"),
        ]
        mismatch = check(
            world.provider,
            csv_bytes(
                "INTERNAL RECORD ID,IDENT,ACTUAL PAYMENT DATE\n"
                f"{record.internal_id},00002,14/11/2024\n"
            ),
        )
        assert problems(mismatch) == [(2, "IDENT", "This record is on episode 00001, not 00002.")]

    def test_it_refuses_an_unknown_or_foreign_internal_record_id(self, world, personas):
        theirs = make_payment(
            episode=make_episode(learner=make_learner(provider=personas.other_provider))
        )
        summary = check(
            world.provider,
            csv_bytes(
                "INTERNAL RECORD ID,EXPECTED PAYMENT DATE\n"
                f"{theirs.internal_id},01/01/2025\n{'0' * 32},01/01/2025\n"
            ),
        )
        assert [p[2] for p in problems(summary)] == [
            "No payment record of this provider has this ID.",
        ] * 2

    def test_it_refuses_new_record_only_columns_that_differ_on_an_update(self, world):
        record = make_payment(episode=world.episode, credit_debit="C")
        summary = check(
            world.provider,
            csv_bytes(
                "INTERNAL RECORD ID,CREDIT/DEBIT,SYSTEM TYPE,EXPECTED PAYMENT DATE\n"
                f"{record.internal_id},D,APTB_PMR1,\n"
            ),
        )
        assert {p[1] for p in problems(summary)} == {"CREDIT/DEBIT", "SYSTEM TYPE"}

    def test_it_refuses_the_same_record_twice_in_one_file(self, world):
        record = make_payment(episode=world.episode)
        summary = check(
            world.provider,
            csv_bytes(
                f"INTERNAL RECORD ID,NOTES\n{record.internal_id},one\n{record.internal_id},two\n"
            ),
        )
        assert problems(summary) == [
            (3, "INTERNAL RECORD ID", "Row 2 updates this record too: keep one of them.")
        ]
        assert PaymentRecord.objects.get().notes == ""  # validation writes nothing


class TestReadingFiles:
    def test_it_reads_utf8_with_a_bom_and_windows_1252(self, world):
        text = f"{HEADER},NOTES\n00001,30/10/2024,12.00,C,café £5\n"
        with_bom = check(world.provider, b"\xef\xbb\xbf" + text.encode())
        excel = check(world.provider, text.encode("cp1252"))
        assert with_bom.accepted == excel.accepted == 1

    def test_it_reads_excel_unicode_text_utf16_tab_separated(self, world):
        text = f"{HEADER},NOTES\n00001,30/10/2024,12.00,C,café £5\n".replace(",", "\t")
        for encoded in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
            summary = check(world.provider, encoded, separator="\t")
            assert summary.accepted == 1 and not summary.problems

    def test_it_refuses_a_file_that_starts_as_utf16_and_is_not(self, world):
        broken = "IDENT".encode("utf-16") + b"\x00\xd8"  # a lone surrogate half, then nothing
        with pytest.raises(ImportFileError, match="not UTF-16 throughout"):
            check(world.provider, broken, separator="\t")

    def test_it_reads_a_semicolon_separated_file(self, world):
        data = csv_bytes(f"{HEADER.replace(',', ';')}\n00001;30/10/2024;12.00;C\n")
        assert check(world.provider, data, separator=";").accepted == 1

    def test_it_says_when_the_separator_looks_wrong(self, world):
        with pytest.raises(ImportFileError, match=r"seems to use comma \(,\)\. Choose it"):
            check(world.provider, csv_bytes(f"{HEADER}\n00001,30/10/2024,12.00,C\n"), ";")
        with pytest.raises(ImportFileError, match=r"seems to use semicolon \(;\)"):
            check(world.provider, csv_bytes(f"{HEADER.replace(',', ';')}\n00001;1;2;C\n"))

    def test_it_refuses_wrong_headers_with_the_names(self, world):
        with pytest.raises(ImportFileError, match=r"does not know: 'AMOUNT'"):
            check(world.provider, csv_bytes("IDENT,EXPECTED PAYMENT DATE,AMOUNT\n"))
        with pytest.raises(ImportFileError, match="needs an INTERNAL RECORD ID column"):
            check(world.provider, csv_bytes("EXPECTED PAYMENT DATE\n01/01/2025\n"))
        with pytest.raises(ImportFileError, match="appears twice"):
            check(world.provider, csv_bytes("IDENT,IDENT,EXPECTED PAYMENT DATE\n"))

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "The file is empty."),
            (b"   \n", "The file is empty."),
            (b"\x00\x01\x02binary", "binary data"),
            (b"\xd0\xcf\x11\xe0old excel", r"old-style Excel \(\.xls\)"),
            (b"PK\x03\x04not really a zip", "cannot be opened"),
            (f"{HEADER}\n".encode(), "no rows to import"),
            (f'{HEADER}\n00001,"30/10/2024,12.00,C\n'.encode(), "not valid CSV"),
        ],
    )
    def test_it_refuses_an_unreadable_file_with_one_message(self, world, data, message):
        with pytest.raises(ImportFileError, match=message):
            check(world.provider, data)

    def test_it_reads_xlsx_with_real_dates_empty_cells_and_trailing_blank_rows(self, world):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(
            [
                "IDENT",
                "EXPECTED PAYMENT DATE",
                "EXPECTED PAYMENT AMOUNT",
                "CREDIT/DEBIT",
                "NOTES",
                "INVOICE DATE",
            ]
        )
        sheet.append(["00001", datetime(2024, 10, 30), 12.5, "C", None, None])
        sheet.append(["00001", date(2024, 11, 30), 7, "D", "", "01/12/2024"])
        sheet.append([None, None, None, None, None, None])
        sheet.append([None, "", None])
        summary = check(world.provider, _xlsx(workbook))
        assert (summary.rows, summary.accepted, summary.problem_rows) == (2, 2, 0)

    def test_it_refuses_a_formula_in_an_xlsx_cell(self, world):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["IDENT", "EXPECTED PAYMENT DATE", "EXPECTED PAYMENT AMOUNT", "CREDIT/DEBIT"])
        sheet.append(["00001", "30/10/2024", "=10+2", "C"])
        summary = check(world.provider, _xlsx(workbook))
        assert problems(summary) == [
            (
                2,
                "EXPECTED PAYMENT AMOUNT",
                "The cell holds a formula: enter the value itself (copy the cells, then paste "
                "as values).",
            )
        ]

    def test_it_refuses_three_decimal_places_from_an_xlsx_number(self, world):
        workbook = Workbook()
        workbook.active.append(
            ["IDENT", "EXPECTED PAYMENT DATE", "EXPECTED PAYMENT AMOUNT", "CREDIT/DEBIT"]
        )
        workbook.active.append(["00001", datetime(2024, 10, 30), 12.345, "C"])
        assert "at most 2 decimal" in problems(check(world.provider, _xlsx(workbook)))[0][2]

    def test_it_takes_the_quote_off_text_our_downloads_made_safe(self, world):
        summary = check(world.provider, csv_bytes(f"{HEADER},NOTES\n00001,30/10/2024,1.00,C,'=x\n"))
        assert summary.accepted == 1


def _xlsx(workbook: Workbook) -> io.BytesIO:
    handle = io.BytesIO()
    workbook.save(handle)
    handle.seek(0)
    return handle
