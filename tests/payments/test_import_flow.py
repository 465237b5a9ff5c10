"""The payment import from the staff pages: validate, report, confirm or cancel, apply, undo;
the report round trip; re-imports; who may do it."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from learners.models import Role
from payments.models import PaymentRecord
from picsweb import jobs
from picsweb.models import ImportBatch, Job
from tests.factories import make_payment

MIXED = (
    "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT,NOTES,PO NUMBER\n"
    "00001,30/10/2024,12.00,C,good one,PO1\n"
    "00001,31/02/2024,12.00,C,bad date,\n"
    "00002,30/10/2025,7.50,D,good two,\n"
    "00001,30/10/2024,1.999,C,bad amount,\n"
)


@pytest.fixture
def staff(personas):
    return personas.client_for(personas.by_role[Role.PAYMENTS_IMPORT])


def upload(client, provider, content, name="payments.csv", separator=","):
    data = content.encode() if isinstance(content, str) else content
    response = client.post(
        "/payments/import/",
        {"provider": provider.code, "separator": separator, "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=job.pk)  # what the worker does
    job.refresh_from_db()
    return job


def confirm(client, validation):
    response = client.post(f"/jobs/{validation.code}/confirm/")
    apply_job = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=apply_job.pk)
    apply_job.refresh_from_db()
    return apply_job


def test_it_reports_every_row_and_changes_nothing_until_confirmed(world, staff):
    validation = upload(staff, world.provider, MIXED)

    assert validation.status == Job.Status.SUCCEEDED
    report = validation.report
    assert (report["rows"], report["accepted"], report["new"], report["problem_rows"]) == (
        4,
        2,
        2,
        2,
    )
    assert [(p["row"], p["column"], p["value"]) for p in report["problems"]] == [
        (3, "EXPECTED PAYMENT DATE", "31/02/2024"),
        (5, "EXPECTED PAYMENT AMOUNT", "1.999"),
    ]
    assert not PaymentRecord.objects.exists()
    page = staff.get(f"/jobs/{validation.code}/").content.decode()
    assert "Apply 2 changes" in page
    assert "This date does not exist." in page

    applied = confirm(staff, validation)

    assert applied.status == Job.Status.SUCCEEDED, applied.error_message
    records = PaymentRecord.objects.order_by("notes")
    assert [(r.notes, r.episode.ident, r.expected_amount) for r in records] == [
        ("good one", "00001", Decimal("12.00")),
        ("good two", "00002", Decimal("7.50")),
    ]
    assert records[0].user_fields == {"PO NUMBER": "PO1"}
    assert records[0].status == "Expected"  # the seed's default for new records
    assert "Undo import" in staff.get(f"/jobs/{applied.code}/").content.decode()


def test_it_gives_the_errors_as_the_original_rows_with_an_errors_column(world, staff):
    validation = upload(staff, world.provider, MIXED)
    download = staff.get(f"/jobs/{validation.code}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="payments-errors.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [*MIXED.splitlines()[0].split(","), "ERRORS"]
    assert rows[1][:5] == ["00001", "31/02/2024", "12.00", "C", "bad date"]
    assert rows[1][-1] == "EXPECTED PAYMENT DATE: This date does not exist."
    assert rows[2][-1] == "EXPECTED PAYMENT AMOUNT: An amount has at most 2 decimal places (pence)."
    # Fixed in place and uploaded again, the ERRORS column is ignored.
    fixed = "\n".join([",".join(rows[0]), "00001,28/02/2024,12.00,C,fixed,,old message"])
    assert upload(staff, world.provider, fixed).report["accepted"] == 1


def test_it_cancels_without_changing_anything(world, staff):
    validation = upload(staff, world.provider, MIXED)
    staff.post(f"/jobs/{validation.code}/cancel/")
    validation.refresh_from_db()
    assert validation.status == Job.Status.CANCELLED
    response = staff.post(f"/jobs/{validation.code}/confirm/")
    assert response.status_code == 302
    assert Job.objects.count() == 1
    assert not PaymentRecord.objects.exists()


def test_it_never_imports_the_same_file_twice(world, staff):
    first = upload(staff, world.provider, MIXED)
    confirm(staff, first)
    assert staff.post(f"/jobs/{first.code}/confirm/").status_code == 302  # a second click
    assert Job.objects.filter(kind="payments.apply").count() == 1

    again = confirm(staff, upload(staff, world.provider, MIXED))

    assert again.status == Job.Status.FAILED
    assert "This file was imported already" in again.error_message
    assert PaymentRecord.objects.count() == 2


@pytest.mark.parametrize("meanwhile", ["record deleted", "record edited", "episode deleted"])
def test_it_applies_nothing_when_what_it_relies_on_changed_since_validation(
    world, staff, meanwhile
):
    record = make_payment(episode=world.later_episode)
    content = (
        "INTERNAL RECORD ID,IDENT,EXPECTED PAYMENT DATE,CREDIT/DEBIT,NOTES\n"
        f"{record.internal_id},,,,new note\n"
        ",00001,01/11/2024,C,new record\n"
    )
    validation = upload(staff, world.provider, content)
    assert validation.report["accepted"] == 2
    if meanwhile == "record deleted":
        record.delete()
    elif meanwhile == "record edited":
        record.notes = "edited by someone else"
        record.save()
    else:
        world.episode.delete()

    applied = confirm(staff, validation)

    assert applied.status == Job.Status.FAILED
    assert "since it was validated" in applied.error_message
    assert "Nothing was imported: validate the file again." in applied.error_message
    assert not PaymentRecord.objects.filter(notes__in=["new note", "new record"]).exists()
    assert not ImportBatch.objects.exists()


def test_it_undoes_an_import_and_refuses_once_a_record_changed(world, staff):
    kept = make_payment(episode=world.episode, notes="before")
    content = (
        "INTERNAL RECORD ID,IDENT,EXPECTED PAYMENT DATE,CREDIT/DEBIT,NOTES\n"
        f"{kept.internal_id},,,,after\n"
        ",00001,01/11/2024,C,added\n"
    )
    applied = confirm(staff, upload(staff, world.provider, content))
    assert PaymentRecord.objects.count() == 2
    kept.refresh_from_db()
    assert kept.notes == "after"

    staff.post(f"/jobs/{applied.code}/undo/")

    kept.refresh_from_db()
    assert kept.notes == "before"
    assert list(PaymentRecord.objects.all()) == [kept]
    assert ImportBatch.objects.get().undone_at is not None

    # A second import, then a change by hand: undo is refused with the reason.
    applied = confirm(staff, upload(staff, world.provider, content + "\n"))
    added = PaymentRecord.objects.get(notes="added")
    added.notes = "edited by hand"
    added.save()
    response = staff.post(f"/jobs/{applied.code}/undo/", follow=True)
    assert "changed after the import" in response.content.decode()
    assert added.internal_id in response.content.decode()
    assert PaymentRecord.objects.count() == 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_updates_the_same_records_from_an_edited_report(world, staff, file_format):
    first = make_payment(episode=world.episode, notes="one", user_fields={"PO NUMBER": "A"})
    second = make_payment(episode=world.later_episode, system_type="APTB_PMR1")
    report = staff.post(
        "/payments/download/",
        {"query": f"provider={world.provider.code}", "format": file_format},
    )
    content = b"".join(report.streaming_content)
    edited = _edit_report(content, file_format, first.internal_id)

    validation = upload(staff, world.provider, edited, name=f"report.{file_format}")
    assert (validation.report["updated"], validation.report["unchanged"]) == (1, 1)
    page = staff.get(f"/jobs/{validation.code}/").content.decode()
    assert "Apply 1 change (1 row unchanged)" in page  # what pressing it does
    assert validation.report["changes"][0]["diffs"] == [
        ["ACTUAL PAYMENT AMOUNT", "", "95.00"],
        ["PAYMENT STATUS", "Expected", "Paid"],
    ]
    confirm(staff, validation)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.actual_amount, first.status, first.notes) == (Decimal("95.00"), "Paid", "one")
    assert first.user_fields == {"PO NUMBER": "A"}
    assert second.status == "Expected"
    assert PaymentRecord.objects.count() == 2


def _edit_report(content, file_format, internal_id):
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        header = rows[0]
        for row in rows[1:]:
            if row[0] == internal_id:
                row[header.index("ACTUAL PAYMENT AMOUNT")] = "95.00"
                row[header.index("PAYMENT STATUS")] = "Paid"
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        return text.getvalue().encode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == internal_id:
            row[header.index("ACTUAL PAYMENT AMOUNT")].value = 95
            row[header.index("PAYMENT STATUS")].value = "Paid"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class TestAtTheDoor:
    def test_it_refuses_a_file_too_big_or_of_the_wrong_type_on_the_form(
        self, world, staff, settings
    ):
        settings.IMPORT_MAX_UPLOAD_BYTES = 100
        response = staff.post(
            "/payments/import/",
            {
                "provider": world.provider.code,
                "separator": ",",
                "file": SimpleUploadedFile("big.csv", b"x" * 101),
            },
        )
        assert response.status_code == 400
        assert "The file is 101 bytes; the largest this import takes is 100 bytes." in (
            response.content.decode()
        )
        binary = staff.post(
            "/payments/import/",
            {
                "provider": world.provider.code,
                "separator": ",",
                "file": SimpleUploadedFile("x.csv", b"\x00\x01"),
            },
        )
        assert "binary data" in binary.content.decode()
        assert not Job.objects.exists()

    def test_it_refuses_wrong_headers_on_the_upload_page_before_any_job(self, world, staff):
        response = staff.post(
            "/payments/import/",
            {
                "provider": world.provider.code,
                "separator": ",",
                "file": SimpleUploadedFile("p.csv", b"NAME,AMOUNT\nx,1\n"),
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "The header row has columns this import does not know" in page
        assert "Validation report" not in page and not Job.objects.exists()

    def test_a_workbook_with_wrong_headers_fails_its_job_showing_only_the_error(self, world, staff):
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(["NAME", "AMOUNT"])
        out = io.BytesIO()
        workbook.save(out)
        job = upload(staff, world.provider, out.getvalue(), name="p.xlsx")
        assert job.status == Job.Status.FAILED
        page = staff.get(f"/jobs/{job.code}/").content.decode()
        assert "The header row has columns this import does not know" in page
        assert "Validation report" not in page and "can be imported" not in page

    def test_it_names_the_separator_a_file_seems_to_use(self, world, staff):
        content = b"IDENT;EXPECTED PAYMENT DATE;EXPECTED PAYMENT AMOUNT;CREDIT/DEBIT\n00001;1;2;C\n"
        response = staff.post(
            "/payments/import/",
            {
                "provider": world.provider.code,
                "separator": ",",
                "file": SimpleUploadedFile("p.csv", content),
            },
        )
        assert response.status_code == 400
        assert "it seems to use semicolon (;)" in response.content.decode()
        assert not Job.objects.exists()


class TestAccess:
    def test_it_refuses_people_without_the_payments_import_role(self, world, personas):
        client = personas.client_for(personas.by_role[Role.LEARNER_LIST])
        for url in ("/payments/", "/payments/import/"):
            assert client.get(url).status_code == 403
        assert client.post("/payments/download/", {"format": "csv"}).status_code == 403

    def test_it_refuses_an_outsider_this_providers_pages_and_data(self, world, personas):
        make_payment(episode=world.episode, notes="ours")
        outsider = personas.client_for(personas.outsider)
        code = world.provider.code
        assert outsider.get(f"/payments/?provider={code}").status_code == 404
        download = {"query": f"provider={code}", "format": "csv"}
        assert outsider.post("/payments/download/", download).status_code == 404
        response = outsider.post(
            "/payments/import/",
            {
                "provider": code,
                "separator": ",",
                "file": SimpleUploadedFile("p.csv", MIXED.encode()),
            },
        )
        assert response.status_code == 404
        own = outsider.post("/payments/download/", {"format": "csv"})
        assert b"ours" not in b"".join(own.streaming_content)

    def test_it_lets_only_the_owner_confirm_cancel_or_undo(self, world, staff, personas):
        validation = upload(staff, world.provider, MIXED)
        for intruder in (personas.outsider, personas.provider_admin):
            client = personas.client_for(intruder)
            for action in ("confirm", "cancel", "undo"):
                assert client.post(f"/jobs/{validation.code}/{action}/").status_code == 404
        assert staff.get(f"/jobs/{validation.code}/confirm/").status_code == 405


def test_the_report_writes_every_import_column_from_its_declared_source():
    from payments import columns as c

    assert list(c.REPORT_SOURCES) == c.COLUMNS
    assert set(c.UPDATABLE) <= set(c.COLUMNS) and set(c.DATE_COLUMNS) <= set(c.COLUMNS)


def test_the_report_page_pages_every_record_and_names_both_amounts(world, staff):
    for n in range(60):
        make_payment(episode=world.episode, notes=f"n{n}")
    url = f"/payments/?provider={world.provider.code}"
    first = staff.get(url).content.decode()
    assert "Records 1 to 50 of 60" in first and "Page 1 of 2" in first
    assert "Expected amount" in first and "Actual amount" in first
    second = staff.get(url + "&page=2").content.decode()
    assert "Records 51 to 60 of 60" in second


def test_a_date_range_that_ends_before_it_starts_is_an_error_not_no_records(world, staff):
    make_payment(episode=world.episode)
    url = f"/payments/?provider={world.provider.code}&date_from=01/09/2025&date_to=01/08/2025"
    page = staff.get(url).content.decode()
    assert "The payment date &#x27;to&#x27; date must be the same as or after" in page
    assert "For example, 31/08/2025" in page
    bad = staff.get(f"/payments/?provider={world.provider.code}&date_from=2025-13-45")
    assert "Enter payment date from as a date, for example, 31/08/2025" in bad.content.decode()
