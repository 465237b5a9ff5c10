"""The Learner Import (issue 17 §4): each kind of bad row, new + update + unchanged, the
employment status as at a date, all-or-nothing apply, undo, history rows, the round trip of
the learner download, another provider's learners, the template, the command, the worker."""

from __future__ import annotations

import csv
import html
import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from learners.columns import COLUMNS
from learners.importing import LEARNERS_IMPORT
from learners.models import EmploymentStatus, Learner
from picsweb import jobs
from picsweb.imports.pipeline import apply_plan, validate_file
from picsweb.models import ImportBatch, Job, Role
from tests.factories import (
    make_employment,
    make_episode,
    make_learner,
    make_organisation,
    make_user,
)

HEADER = ["LRN", "Given names", "Family name", "ULN", "Date of birth", "Postcode"]
JOB_HEADER = ["LRN", "Employment status date", "Employment status", "Employer", "AS Agreement ID"]


def csv_text(header, *rows, separator=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def check(provider, header, *rows):
    summary, _, _ = validate_file(
        spec=LEARNERS_IMPORT, provider=provider, handle=io.BytesIO(csv_text(header, *rows).encode())
    )
    return summary


@pytest.fixture
def editor(personas):
    return make_user(
        provider=personas.provider,
        roles=[Role.EDIT_LEARNERS, Role.LEARNER_LIST],
        username="editor",
        email="editor@example.com",
    )


@pytest.fixture
def client(personas, editor):
    return personas.client_for(editor)


def upload(client, provider, content, name="learners.csv", separator=","):
    response = client.post(
        "/learners/import/",
        {
            "provider": provider.code,
            "separator": separator,
            "file": SimpleUploadedFile(
                name, content if isinstance(content, bytes) else content.encode()
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    validation = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=validation.pk)
    validation.refresh_from_db()
    return validation


def confirm(client, validation):
    response = client.post(f"/jobs/{validation.code}/confirm/")
    applied = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=applied.pk)
    applied.refresh_from_db()
    return applied


# --- each kind of bad row ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "row", "column", "message"),
    [
        (HEADER, ["L1", "Jane", "Smith", "1748529633", "", ""], "ULN", "fails its check digit"),
        (HEADER, ["L1", "Jane", "Smith", "", "31/02/2004", ""], "Date of birth", "does not exist"),
        (HEADER, ["L1", "Jane", "Smith", "", "2004-03-15", ""], "Date of birth", "dd/mm/yyyy"),
        (HEADER, ["L1", "J" * 101, "Smith", "", "", ""], "Given names", "at most 100 characters"),
        (HEADER, ["L1", "Jane", "S" * 120, "", "", ""], "Family name", "(120 given): shorten it"),
        (HEADER, ["L1", "Jane", "Smith", "", "", "XX1 1XX"], "Postcode", "not a UK postcode"),
        (HEADER, ["L-1!", "Jane", "Smith", "", "", ""], "LRN", "letters, digits and spaces"),
        (HEADER, ["NEW9", "", "Smith", "", "", ""], "Given names", "adds a new learner"),
        (HEADER, ["", "Jane", "Smith", "", "", ""], "LRN", "Give the learner reference number"),
        # The learner form's rules (the AS export's), the same functions:
        (HEADER, ["NEW9", "Jane, Jr", "Smith", "", "", ""], "Given names", "holds a comma"),
        (HEADER, ["L1", "", "=Smith", "", "", ""], "Family name", "runs as a formula"),
        (HEADER, ["L1", "", "", "", "01/01/2099", ""], "Date of birth", "must be in the past"),
        (
            ["LRN", "Email"],
            ["L1", "jane@localhost"],
            "Email",
            "not one the Apprenticeship Service accepts",
        ),
        (
            JOB_HEADER,
            ["L1", "01/08/2025", "10", "NOPE", ""],
            "Employer",
            "No organisation of Northgate Training has the PICS Organisation Identifier or ERN",
        ),
        (["LRN", "NI number"], ["L1", "QQ 12 34 56"], "NI number", "two letters, six digits"),
        (["LRN", "NI number"], ["L1", "GB123456A"], "NI number", "never start with GB"),
        (JOB_HEADER, ["L1", "01/08/2025", "10", "", "TOOLONG1"], "AS Agreement ID", "6"),
        (JOB_HEADER, ["L1", "01/08/2025", "10", "", "AB-12"], "AS Agreement ID", "letters"),
        (JOB_HEADER, ["L1", "01/08/2025", "11", "", "ABC123"], "AS Agreement ID", "Employed"),
        (JOB_HEADER, ["L1", "01/08/2025", "7", "", ""], "Employment status", "(10, 11, 12, 98)"),
        (JOB_HEADER, ["L1", "", "10", "", ""], "Employment status date", "Give the"),
        (JOB_HEADER, ["L1", "01/08/2025", "", "", ""], "Employment status", "adds one"),
    ],
)
def test_it_reports_each_kind_of_bad_row_naming_the_column(personas, header, row, column, message):
    make_learner(provider=personas.provider, lrn="L1")
    summary = check(personas.provider, header, row)
    assert summary.accepted == 0
    assert any(p.column == column and message in p.message for p in summary.problems), [
        (p.column, p.message) for p in summary.problems
    ]


def test_it_refuses_the_same_lrn_twice_in_a_file(personas):
    summary = check(
        personas.provider,
        HEADER,
        ["L1", "Jane", "Smith", "", "", ""],
        ["L1", "Jo", "Smith", "", "", ""],
    )
    assert (summary.new, summary.problem_rows) == (1, 1)
    (problem,) = summary.problems
    assert (problem.row, problem.column) == (3, "LRN")
    assert problem.message == "Row 2 has this LRN too: keep one row for each learner."


def test_it_takes_the_temporary_uln_and_finds_employers_by_pics_id_or_ern(personas):
    make_organisation(provider=personas.provider, pics_id="EMP9", ern="123456789")
    summary = check(
        personas.provider,
        [*HEADER, *JOB_HEADER[1:]],
        [
            "L1",
            "Jane",
            "Smith",
            "9999999999",
            "15/03/2004",
            "ls6 2ab",
            "01/08/2025",
            "10",
            "emp9",
            "A1",
        ],
        ["L2", "Jo", "Jones", "", "", "", "01/08/2025", "Employed", "123456789", ""],
    )
    assert (summary.new, summary.problem_rows) == (2, 0), summary.problems


def test_it_refuses_a_wrong_header_on_the_upload_page(personas, client):
    for header, message in (
        ("LRN,Given names,Shoe size\n", "columns this import does not know: 'Shoe size'"),
        ("Given names,Family name\n", "The header row has no LRN column"),
    ):
        response = client.post(
            "/learners/import/",
            {
                "provider": personas.provider.code,
                "separator": ",",
                "file": SimpleUploadedFile("l.csv", (header + "a,b\n").encode()),
            },
        )
        assert response.status_code == 400
        assert message in html.unescape(response.content.decode())
    assert not Job.objects.exists()


def test_the_pipeline_refuses_formulas_and_control_characters_and_reads_excel_dates(personas):
    make_learner(provider=personas.provider, lrn="12345", ethnicity=31)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["LRN", "Given names", "Family name", "Date of birth", "ULN", "Ethnicity"])
    sheet.append(["X1", "Jane", "Smith", datetime(2004, 3, 15), 1748529632, 31])
    sheet.append(["X2", "=A2", "Smith", None, None, None])
    sheet.append([12345, None, None, None, None, 39])  # an existing learner's LRN as a number
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    summary, file_format, _ = validate_file(
        spec=LEARNERS_IMPORT, provider=personas.provider, handle=out
    )
    assert file_format == "xlsx"
    assert summary.new == 1  # the date, the ULN and the code typed as numbers are read
    assert summary.updated == 1 and summary.changes[0]["diffs"] == [("Ethnicity", "31", "39")]
    problems = {p.row: (p.column, p.message) for p in summary.problems}
    assert problems[3][0] == "Given names" and "formula" in problems[3][1]
    csv_file = csv_text(["LRN", "Given names"], ["X3", "Ja\x0bne"]).encode()
    summary, _, _ = validate_file(
        spec=LEARNERS_IMPORT, provider=personas.provider, handle=io.BytesIO(csv_file)
    )
    (problem,) = summary.problems
    assert problem.column == "Given names" and "control character (U+000B)" in problem.message


# --- new, update, unchanged; employment status as at a date --------------------------------


def test_it_adds_updates_and_leaves_unchanged_with_before_and_after(personas, client, editor):
    employer = make_organisation(provider=personas.provider, pics_id="EMP1")
    kept = make_learner(
        provider=personas.provider, lrn="KEEP", given_names="Kim", family_name="Kept"
    )
    moved = make_learner(provider=personas.provider, lrn="MOVE", postcode="LS6 2AB", uln="")
    status = make_employment(
        learner=moved, date_applies=date(2025, 8, 1), status=11, as_agreement_id=""
    )
    header = [*HEADER, *JOB_HEADER[1:]]
    content = csv_text(
        header,
        [
            "NEW1",
            "Nia",
            "New",
            "1000000043",
            "01/02/2005",
            "LS6 1AA",
            "01/09/2025",
            "10",
            "EMP1",
            "AGR1",
        ],
        ["KEEP", "Kim", "Kept", "", "", "", "", "", "", ""],
        ["MOVE", "", "", "2000000028", "", "ls1 4ap", "01/08/2025", "10", "EMP1", "AGR2"],
    )

    validation = upload(client, personas.provider, content)

    report = validation.report
    assert (report["new"], report["updated"], report["unchanged"], report["problem_rows"]) == (
        1,
        1,
        1,
        0,
    )
    (change,) = report["changes"]
    assert change["label"].startswith("LRN MOVE")
    assert ["ULN", "", "2000000028"] in change["diffs"]
    assert ["Postcode", "LS6 2AB", "LS1 4AP"] in change["diffs"]
    assert ["Employment status from 01/08/2025", "11", "10"] in change["diffs"]
    assert ["AS Agreement ID from 01/08/2025", "", "AGR2"] in change["diffs"]
    assert not Learner.objects.filter(lrn="NEW1").exists()  # nothing before confirming

    applied = confirm(client, validation)

    assert applied.status == Job.Status.SUCCEEDED, applied.error_message
    new = Learner.objects.get(lrn="NEW1")
    assert (new.provider, new.uln, new.date_of_birth) == (
        personas.provider,
        "1000000043",
        date(2005, 2, 1),
    )
    assert new.employment_statuses.get().employer == employer
    moved.refresh_from_db()
    status.refresh_from_db()
    assert (moved.uln, moved.postcode, moved.given_names) == ("2000000028", "LS1 4AP", "Jane")
    assert (status.status, status.employer, status.as_agreement_id) == (10, employer, "AGR2")
    assert moved.employment_statuses.count() == 1  # the same date: updated, not added
    kept.refresh_from_db()
    assert kept.updated_at < applied.created_at


def test_a_status_from_another_date_is_added(personas):
    learner = make_learner(provider=personas.provider, lrn="L1")
    make_employment(
        learner=learner, date_applies=date(2025, 8, 1), status=10, as_agreement_id="OLD"
    )
    summary = check(personas.provider, JOB_HEADER, ["L1", "01/01/2026", "12", "", ""])
    assert summary.updated == 1
    plan = io.BytesIO()
    validate_file(
        spec=LEARNERS_IMPORT,
        provider=personas.provider,
        handle=io.BytesIO(csv_text(JOB_HEADER, ["L1", "01/01/2026", "12", "", ""]).encode()),
        plan=plan,
    )
    apply_plan(
        spec=LEARNERS_IMPORT, provider=personas.provider, plan=plan, file_name="f.csv", sha256="x"
    )
    dates = list(
        learner.employment_statuses.values_list("date_applies", "status", "as_agreement_id")
    )
    assert dates == [(date(2025, 8, 1), 10, "OLD"), (date(2026, 1, 1), 12, "")]


def test_another_providers_learner_with_the_same_lrn_is_never_matched_or_touched(personas, client):
    theirs = make_learner(provider=personas.other_provider, lrn="SAME", given_names="Theirs")
    make_employment(learner=theirs, date_applies=date(2025, 8, 1))
    make_organisation(provider=personas.other_provider, pics_id="THEIRS")
    content = csv_text(
        [*HEADER, *JOB_HEADER[1:]],
        ["SAME", "Ours", "Learner", "", "", "", "01/08/2025", "11", "", ""],
    )

    validation = upload(client, personas.provider, content)
    assert (validation.report["new"], validation.report["updated"]) == (1, 0)
    confirm(client, validation)

    ours = Learner.objects.get(provider=personas.provider, lrn="SAME")
    assert ours.given_names == "Ours" and ours.employment_statuses.get().status == 11
    theirs.refresh_from_db()
    assert theirs.given_names == "Theirs"
    assert theirs.employment_statuses.get().status == 10
    # Nor are its organisations employers of ours.
    summary = check(personas.provider, JOB_HEADER, ["SAME", "01/08/2025", "10", "THEIRS", ""])
    assert summary.problems[0].column == "Employer"


def test_the_errors_file_holds_the_bad_rows_and_uploads_again_once_fixed(personas, client):
    content = csv_text(
        HEADER, ["OK1", "Ola", "Ok", "", "", ""], ["BAD1", "Bea", "Bad", "1748529633", "", ""]
    )
    validation = upload(client, personas.provider, content)
    page = client.get(f"/jobs/{validation.code}/").content.decode()
    assert "fails its check digit" in page and "Download the rows with errors" in page
    download = client.get(f"/jobs/{validation.code}/download/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [*HEADER, "ERRORS"]
    assert rows[1][:4] == ["BAD1", "Bea", "Bad", "1748529633"] and "ULN" in rows[1][-1]
    rows[1][3] = "1748529632"
    fixed = upload(client, personas.provider, csv_text(rows[0], rows[1]), name="fixed.csv")
    assert (fixed.report["new"], fixed.report["problem_rows"]) == (1, 0)


def test_cancel_changes_nothing(personas, client):
    validation = upload(
        client, personas.provider, csv_text(HEADER, ["C1", "Cy", "Cancel", "", "", ""])
    )
    response = client.post(f"/jobs/{validation.code}/cancel/", follow=True)
    assert "Import cancelled. Nothing was changed." in response.content.decode()
    assert client.post(f"/jobs/{validation.code}/confirm/").status_code == 302
    assert not Learner.objects.exists()


# --- one transaction, undo, history -----------------------------------------------------


def test_it_applies_nothing_when_a_learner_changed_since_validation(personas, client):
    learner = make_learner(provider=personas.provider, lrn="L1")
    content = csv_text(
        HEADER, ["NEW1", "Nia", "New", "", "", ""], ["L1", "Changed", "", "", "", ""]
    )
    validation = upload(client, personas.provider, content)
    Learner.objects.filter(pk=learner.pk).update(
        family_name="By hand", updated_at=datetime(2030, 1, 1, tzinfo=learner.updated_at.tzinfo)
    )

    applied = confirm(client, validation)

    assert applied.status == Job.Status.FAILED
    assert "changed since it was validated (LRN L1)" in applied.error_message
    assert not Learner.objects.filter(lrn="NEW1").exists()  # the whole file or nothing
    assert not ImportBatch.objects.exists()


def test_undo_restores_and_history_records_the_owner_and_the_file(personas, client, editor):
    learner = make_learner(provider=personas.provider, lrn="L1", given_names="Before")
    status = make_employment(
        learner=learner, date_applies=date(2025, 8, 1), status=10, as_agreement_id="AAA"
    )
    content = csv_text(
        [*HEADER, *JOB_HEADER[1:]],
        ["L1", "After", "", "", "", "", "01/08/2025", "", "", "BBB"],
        ["L2", "Nia", "New", "", "", "", "01/09/2025", "11", "", ""],
        ["L3", "Neo", "Newer", "", "", "", "", "", "", ""],
    )
    validation = upload(client, personas.provider, content, name="autumn.csv")
    applied = confirm(client, validation)
    assert applied.status == Job.Status.SUCCEEDED, applied.error_message

    learner.refresh_from_db()
    assert learner.given_names == "After"
    (imported,) = learner.history.filter(history_change_reason="Import autumn.csv")
    assert (imported.history_user, imported.history_type, imported.given_names) == (
        editor,
        "~",
        "After",
    )
    (status_row,) = status.history.filter(history_change_reason="Import autumn.csv")
    assert status_row.as_agreement_id == "BBB"
    new = Learner.objects.get(lrn="L2")
    assert new.history.get().history_type == "+"
    assert new.history.get().history_user == editor

    response = client.post(f"/jobs/{applied.code}/undo/", follow=True)

    assert "Import undone" in response.content.decode()
    learner.refresh_from_db()
    status.refresh_from_db()
    assert (learner.given_names, status.as_agreement_id) == ("Before", "AAA")
    assert not Learner.objects.filter(lrn__in=["L2", "L3"]).exists()
    assert not EmploymentStatus.objects.filter(learner__lrn="L2").exists()
    (undone,) = learner.history.filter(history_change_reason="Undo import autumn.csv")
    assert (undone.history_user, undone.history_type, undone.given_names) == (editor, "~", "Before")
    assert (
        status.history.filter(history_change_reason="Undo import autumn.csv").get().as_agreement_id
        == "AAA"
    )
    history_tab = client.get(f"/learners/{learner.code}/history/").content.decode()
    assert "Import autumn.csv" in history_tab and "Undo import autumn.csv" in history_tab
    assert "editor" in history_tab
    deleted = Learner.history.filter(lrn="L2", history_type="-").get()
    assert deleted.history_change_reason == "Undo import autumn.csv"


def test_undo_is_refused_once_an_imported_record_changed(personas, client):
    learner = make_learner(provider=personas.provider, lrn="L1")
    status = make_employment(learner=learner, date_applies=date(2025, 8, 1), as_agreement_id="AAA")
    validation = upload(
        client, personas.provider, csv_text(JOB_HEADER, ["L1", "01/08/2025", "", "", "BBB"])
    )
    applied = confirm(client, validation)
    EmploymentStatus.objects.filter(pk=status.pk).update(as_agreement_id="CCC")  # edited by hand

    response = client.post(f"/jobs/{applied.code}/undo/", follow=True)

    assert "changed after the import, so it cannot be undone: LRN L1" in response.content.decode()
    status.refresh_from_db()
    assert status.as_agreement_id == "CCC"
    assert ImportBatch.objects.get().undone_at is None


def test_undo_is_refused_when_a_new_learner_gained_records_since(personas, client):
    validation = upload(
        client, personas.provider, csv_text(HEADER, ["N1", "Nia", "New", "", "", ""])
    )
    applied = confirm(client, validation)
    make_episode(learner=Learner.objects.get(lrn="N1"))  # an aim's episode, added by hand

    response = client.post(f"/jobs/{applied.code}/undo/", follow=True)

    assert "cannot be undone: LRN N1" in response.content.decode()
    assert Learner.objects.filter(lrn="N1").exists()


def test_one_transaction_across_chunks_a_stale_row_in_the_last_chunk_stops_the_first(
    personas, client
):
    learner = make_learner(provider=personas.provider, lrn="LAST")
    rows = [[f"N{n}", "Nia", f"New{n}", "", "", ""] for n in range(2100)]
    validation = upload(
        client, personas.provider, csv_text(HEADER, *rows, ["LAST", "Changed", "", "", "", ""])
    )
    assert (validation.report["new"], validation.report["updated"]) == (2100, 1)
    Learner.objects.filter(pk=learner.pk).update(updated_at=timezone.now())  # edited meanwhile

    applied = confirm(client, validation)

    assert applied.status == Job.Status.FAILED
    assert Learner.objects.filter(provider=personas.provider).count() == 1  # chunk 1 rolled back
    assert not Learner.history.filter(lrn="N0").exists()


# --- the round trip ---------------------------------------------------------------------


def test_the_learner_download_reimports_unchanged(personas, client):
    employer = make_organisation(provider=personas.provider, pics_id="EMP7", ern="987654321")
    people = [
        make_learner(
            provider=personas.provider,
            lrn="RT1",
            title="Dr",
            given_names="Anne-Marie, Jr",
            family_name="O'Neill",
            phone="+447700900123",
            sex="F",
            ethnicity=39,
            address_line_1='1 "The" Street',
            town="Leeds",
            as_cohort_code="C-1",
            uln="9999999999",
        ),
        make_learner(
            provider=personas.provider,
            lrn="RT2",
            given_names="=1+1",
            date_of_birth=None,
            postcode="",
            postcode_prior="",
        ),
        make_learner(provider=personas.provider, lrn="RT3"),
    ]
    make_employment(learner=people[0], date_applies=date(2024, 8, 1), status=11, as_agreement_id="")
    make_employment(
        learner=people[0], date_applies=date(2025, 8, 1), employer=employer, as_agreement_id="AG7"
    )
    make_employment(learner=people[1], date_applies=date(2025, 1, 6), status=98, as_agreement_id="")
    download = client.post(
        "/learners/bulk/",
        {
            "provider": personas.provider.code,
            "action": "download_csv",
            "filters": "",
            "select_all": "3",
        },
    )
    content = b"".join(download.streaming_content)
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[: len(COLUMNS)] == COLUMNS
    assert "01/08/2025,10,EMP7,AG7" in content.decode()

    validation = upload(client, personas.provider, content, name="learners-download.csv")

    report = validation.report
    assert (report["rows"], report["new"], report["updated"], report["unchanged"]) == (
        3,
        0,
        0,
        3,
    ), report
    assert report["problem_rows"] == 0
    page = client.get(f"/jobs/{validation.code}/").content.decode()
    assert "Every accepted row matches what is already recorded" in page


# --- the template, the page, the command ---------------------------------------------------


def test_the_template_has_the_columns_and_an_example_row_that_imports(personas, client):
    make_organisation(provider=personas.provider, pics_id="EMP123")
    response = client.get("/learners/import/template.csv")
    assert response["Content-Disposition"] == 'attachment; filename="learner-import-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS and len(rows) == 2
    summary, _, _ = validate_file(
        spec=LEARNERS_IMPORT, provider=personas.provider, handle=io.BytesIO(response.content)
    )
    assert (summary.new, summary.problem_rows) == (1, 0), summary.problems


def test_the_page_offers_tips_and_the_list_links_to_it_for_editors_only(personas, client):
    page = client.get(f"/learners/import/?provider={personas.provider.code}").content.decode()
    assert "Download the template" in page and "Separator" in page
    assert "/learners/import/" in client.get("/learners/").content.decode()
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    assert "/learners/import/" not in viewer.get("/learners/").content.decode()
    assert viewer.get("/learners/import/").status_code == 403
    assert viewer.get("/learners/import/template.csv").status_code == 403


def test_the_command_reports_then_imports_with_confirm(personas, tmp_path):
    path = tmp_path / "learners.csv"
    path.write_text(
        csv_text(HEADER, ["C1", "Cat", "Command", "", "", ""], ["C2", "", "", "", "", ""])
    )
    out = io.StringIO()
    call_command("import_learners", str(path), provider="10012345", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "2 rows: 1 can be imported (1 new, 0 updated, 0 unchanged), 1 has errors."
    assert lines[1].startswith("Row 3, Given names: Give the Given names")
    assert not Learner.objects.exists()

    call_command("import_learners", str(path), provider="10012345", confirm=True, stdout=out)
    assert Learner.objects.get().lrn == "C1"
    assert Learner.objects.get().history.get().history_change_reason == "Import learners.csv"
    with pytest.raises(CommandError):
        call_command("import_learners", str(path), provider="19999999", stdout=out)


def test_the_admin_upload_goes_through_the_same_pipeline(personas):
    admin_client = personas.client_for(personas.provider_admin)
    door = "/admin/learners/learner/import/learners/"
    assert door in admin_client.get("/admin/learners/learner/").content.decode()
    response = admin_client.post(
        door,
        {
            "provider": personas.provider.pk,
            "separator": ",",
            "file": SimpleUploadedFile("admin.csv", b"LRN,Given names,Family name\nA1,Ada,Admin\n"),
        },
    )
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.code}/"
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.kind, job.provider, job.report["new"]) == (
        "learners.validate",
        personas.provider,
        1,
    )
    refused = admin_client.post(
        door,
        {
            "provider": personas.other_provider.pk,
            "separator": ",",
            "file": SimpleUploadedFile("admin.csv", b"LRN\nA1\n"),
        },
    )
    assert refused.status_code == 400 and Job.objects.count() == 1


# --- the real worker: validation, email, confirm -------------------------------------------


def test_the_worker_validates_emails_the_owner_and_applies(celery_worker, transactional_db):
    import time

    from tests.factories import make_provider

    provider = make_provider(ukprn="10012345", name="Northgate Training")
    owner = make_user(provider=provider, roles=[Role.EDIT_LEARNERS], email="owner@example.com")
    client = Client()
    client.force_login(owner)
    response = client.post(
        "/learners/import/",
        {
            "provider": provider.code,
            "separator": ";",
            "file": SimpleUploadedFile("w.csv", b"LRN;Given names;Family name\nW1;Wen;Worker\n"),
        },
    )
    validation = Job.objects.get(code=response["Location"].split("/")[2])

    def finished(job):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                return job
            time.sleep(0.1)
        raise AssertionError(job.status)

    assert finished(validation).status == Job.Status.SUCCEEDED, validation.error_message
    (email,) = celery_worker.wait_for_email()
    assert email["To"] == "owner@example.com"
    response = client.post(f"/jobs/{validation.code}/confirm/")
    applied = finished(Job.objects.get(code=response["Location"].split("/")[2]))
    assert applied.status == Job.Status.SUCCEEDED, applied.error_message
    assert Learner.objects.get(provider=provider).lrn == "W1"
