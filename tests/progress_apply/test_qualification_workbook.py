"""The bulk qualification workbook (seed 003 §9): the export's four sheets and 98 columns,
who is in it, the round trip export -> edit -> import -> undo, each kind of bad row reported by
row and column with nothing applied, and the page on a real worker."""

from __future__ import annotations

import io
import time
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError, OutputWrapper
from openpyxl import load_workbook

from picsweb.imports.cli import run_import
from picsweb.imports.pipeline import import_undo
from picsweb.models import ImportBatch, Job, Role
from progress_apply.models import (
    LearnerGroup,
    PortalLearner,
    PortalSettings,
    Qualification,
    QualificationType,
)
from progress_apply.qualification_workbook import (
    COLUMNS,
    QUALIFICATION_IMPORT,
    SHEET_LEARNERS,
    export_learners,
    qualification_columns,
    workbook_bytes,
)
from tests.factories import make_provider, make_user
from tests.progress_apply.helpers import make_portal_learner


@pytest.fixture(autouse=True)
def _reference_data(qualification_data) -> None:
    pass


@pytest.fixture
def manager(personas):
    return personas.by_role[Role.LEARNER_MANAGER]


def gcse() -> QualificationType:
    return QualificationType.objects.get(name="GCSE (9-1)")


def add(learner: PortalLearner, subject: str, predicted: str) -> Qualification:
    kind = gcse()
    return Qualification.objects.create(
        learner=learner,
        type=kind,
        subject=kind.subjects.get(name=subject),
        predicted_grade=kind.grades.get(grade=predicted),
        completed_on=date(2026, 6, 1),
        verified=True,
    )


@pytest.fixture
def year_11(personas):
    """Three learners of Year 11 whose manager adds qualifications, one who adds their own,
    one of another year, one of another provider."""
    provider = personas.provider
    PortalSettings.objects.create(provider=provider, manager_adds_qualifications=True)
    ann = make_portal_learner(
        provider=provider, first_name="Ann", last_name="Able", postcode="LS6 2AB"
    )
    ben = make_portal_learner(provider=provider, first_name="Ben", last_name="Bell")
    cat = make_portal_learner(
        provider=provider, first_name="Cat", last_name="Cole", manager_adds_qualifications="no"
    )
    make_portal_learner(provider=provider, first_name="Dan", last_name="Dunn", year_group=12)
    make_portal_learner(provider=personas.other_provider, first_name="Eve", last_name="Else")
    add(ann, "Mathematics", "7")
    add(ann, "English Language", "6")
    return {"ann": ann, "ben": ben, "cat": cat}


def export(manager, personas) -> bytes:
    learners = export_learners(user=manager, provider=personas.provider, year_group=11)
    return workbook_bytes(learners, personas.provider)


def rows_of(data: bytes) -> tuple[list[str], dict[str, list[Any]]]:
    sheet = load_workbook(io.BytesIO(data))[SHEET_LEARNERS]
    values = list(sheet.iter_rows(values_only=True))
    header = [str(v) for v in values[0]]
    return header, {str(r[3]): list(r) for r in values[1:]}


def save(tmp_path, data: bytes, edit) -> str:
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook[SHEET_LEARNERS])
    path = tmp_path / "qualifications.xlsx"
    workbook.save(path)
    return str(path)


def run(path: str, manager, personas, *, confirm: bool = True) -> str:
    out = io.StringIO()
    run_import(
        spec=QUALIFICATION_IMPORT,
        file=path,
        provider=personas.provider,
        separator=",",
        confirm=confirm,
        out=OutputWrapper(out),
        owner=manager,
    )
    return out.getvalue()


def cell_of(sheet, first_name: str, column: str):
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[3].value == first_name:
            return sheet.cell(row=row[0].row, column=header.index(column) + 1)
    raise AssertionError(first_name)


def test_the_export_has_four_sheets_98_columns_and_only_the_managers_adds_learners(
    manager, personas, year_11
):
    data = export(manager, personas)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [
        "Qualification Type",
        "Qualification Subject",
        "Qualification Grading",
        "Learner Qualifications",
    ]
    header, rows = rows_of(data)
    assert header == COLUMNS and len(header) == 98
    assert header[:8] == [
        "UCAS Account ID",
        "UPN",
        "ULN",
        "Forename",
        "Surname",
        "Date of Birth",
        "Current Provider",
        "Current Area",
    ]
    assert set(rows) == {"Ann", "Ben"}  # Cat adds her own; Dan is Year 12; Eve elsewhere
    ann = rows["Ann"]
    assert ann[0] == str(year_11["ann"].code) and ann[6] == "Northgate Training"
    assert ann[7] == "Leeds"  # the local authority of LS6
    assert ann[8:18] == [
        "GCSE (9-1)",
        "Mathematics",
        "2026-06",
        "7",
        None,
        "GCSE (9-1)",
        "English Language",
        "2026-06",
        "6",
        None,
    ] or ann[8:18] == [
        "GCSE (9-1)",
        "English Language",
        "2026-06",
        "6",
        None,
        "GCSE (9-1)",
        "Mathematics",
        "2026-06",
        "7",
        None,
    ]
    learners = workbook[SHEET_LEARNERS]
    lists = {dv.formula1 for dv in learners.data_validations.dataValidation}
    assert any(f.startswith("'Qualification Type'!$A$2") for f in lists)
    assert any(f.startswith("'Qualification Subject'!$B$2") for f in lists)
    types = [r[0] for r in workbook["Qualification Type"].iter_rows(min_row=2, values_only=True)]
    assert "GCSE (9-1)" in types and "A level" in types


def test_a_group_managers_export_holds_their_groups_learners_only(manager, personas, year_11):
    group = LearnerGroup.objects.create(provider=personas.provider, name="Tutor 11A")
    group.learners.add(year_11["ben"])
    group.managers.add(manager)
    _, rows = rows_of(export(manager, personas))
    assert set(rows) == {"Ben"}


def test_the_round_trip_replaces_each_learners_list_and_undo_puts_it_back(
    tmp_path, manager, personas, year_11
):
    def edit(sheet):
        cell_of(sheet, "Ben", "Qualification Type 1*").value = "GCSE (9-1)"
        cell_of(sheet, "Ben", "Qualification Subject 1*").value = "Biology"
        cell_of(sheet, "Ben", "Qualification Completion Date 1").value = "2026-06"
        cell_of(sheet, "Ben", "Qualification Actual Grade 1*").value = "9"
        # Ann's second qualification removed: her list is what the row holds.
        for column in qualification_columns(2):
            cell_of(sheet, "Ann", column).value = None

    out = run(save(tmp_path, export(manager, personas), edit), manager, personas)
    assert "2 rows: 2 can be imported (0 new, 2 updated, 0 unchanged), 0 have errors" in out
    ben = year_11["ben"]
    (biology,) = ben.qualifications.select_related("subject", "actual_grade")
    assert (biology.subject.name, biology.actual_grade.grade, biology.completed_on) == (
        "Biology",
        "9",
        date(2026, 6, 1),
    )
    assert biology.verified and biology.added_by == manager
    assert year_11["ann"].qualifications.count() == 1
    ben.refresh_from_db()
    assert ben.qualifications_status == "in_progress"
    # The same file again changes nothing.
    # Undo: Ben has none again, Ann both.
    import_undo(batch=ImportBatch.objects.get(kind=QUALIFICATION_IMPORT.kind), user=manager)
    assert not ben.qualifications.exists()
    assert year_11["ann"].qualifications.count() == 2


def test_an_unchanged_export_imports_as_unchanged(tmp_path, manager, personas, year_11):
    out = run(save(tmp_path, export(manager, personas), lambda sheet: None), manager, personas)
    assert "0 updated, 2 unchanged" in out


@pytest.mark.parametrize(
    ("learner", "column", "value", "message"),
    [
        (
            "Ben",
            "Qualification Subject 1*",
            "Further Mathematics (MEI)",
            "Choose a subject of this qualification type",
        ),
        (
            "Ben",
            "Qualification Predicted Grade 1*",
            "A*",
            "Choose a grade of this qualification type",
        ),
        (
            "Ben",
            "Qualification Predicted Grade 1*",
            None,
            "Enter a predicted grade or an actual grade",
        ),
        (
            "Ben",
            "Qualification Type 1*",
            "GCSE (10-1)",
            "Choose a qualification type from the sheet",
        ),
        (
            "Ben",
            "Qualification Completion Date 1",
            "June 2026",
            "Give the completion date as YYYY-MM",
        ),
        ("Ann", "Forename", "Anne", "Do not change this column: it was 'Ann'"),
        ("Ann", "Date of Birth", "2009-01-01", "Do not change this column"),
        (
            "Ann",
            "UCAS Account ID",
            "00000000-0000-0000-0000-000000000000",
            "This UCAS Account ID is not a learner you manage",
        ),
    ],
)
def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_imported(
    tmp_path, manager, personas, year_11, learner, column, value, message
):
    def edit(sheet):
        cell_of(sheet, "Ben", "Qualification Type 1*").value = "GCSE (9-1)"
        cell_of(sheet, "Ben", "Qualification Subject 1*").value = "Biology"
        cell_of(sheet, "Ben", "Qualification Predicted Grade 1*").value = "8"
        cell_of(sheet, learner, column).value = value

    before = Qualification.objects.count()
    out = run(save(tmp_path, export(manager, personas), edit), manager, personas, confirm=False)
    row = 2 if learner == "Ann" else 3  # by surname: Able, Bell
    assert f"Row {row}, {column}: {message}" in out, out
    assert Qualification.objects.count() == before


def test_a_nineteenth_qualification_is_refused_by_row(tmp_path, manager, personas, year_11):
    data = export(manager, personas)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET_LEARNERS]
    start = sheet.max_column + 1
    for offset, name in enumerate(qualification_columns(19)):
        sheet.cell(row=1, column=start + offset, value=name)
    for n in range(1, 19):
        names = qualification_columns(n)
        cell_of(sheet, "Ben", names[0]).value = "A level"
        cell_of(sheet, "Ben", names[1]).value = (
            QualificationType.objects.get(name="A level").subjects.order_by("name")[n - 1].name
        )
        cell_of(sheet, "Ben", names[3]).value = "B"
    ben_row = cell_of(sheet, "Ben", "Forename").row
    sheet.cell(row=ben_row, column=start, value="A level")
    sheet.cell(row=ben_row, column=start + 1, value="Art")
    sheet.cell(row=ben_row, column=start + 3, value="A")
    path = tmp_path / "nineteen.xlsx"
    workbook.save(path)
    out = run(str(path), manager, personas, confirm=False)
    assert "Row 3, Qualification Type 19*: A learner can have at most 18 qualifications" in out


def test_a_learner_who_adds_their_own_is_refused(tmp_path, manager, personas, year_11):
    cat = year_11["cat"]

    def edit(sheet):
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=str(cat.code))
        for index, value in enumerate(
            ["", "", "Cat", "Cole", cat.date_of_birth.isoformat(), "Northgate Training", ""],
            start=2,
        ):
            sheet.cell(row=row, column=index, value=value)

    out = run(save(tmp_path, export(manager, personas), edit), manager, personas, confirm=False)
    assert "Row 4, UCAS Account ID: This learner adds their own qualifications" in out


def test_another_providers_learner_is_not_found(tmp_path, manager, personas, year_11):
    theirs = PortalLearner.objects.get(provider=personas.other_provider)

    def edit(sheet):
        sheet.cell(row=2, column=1, value=str(theirs.code))

    out = run(save(tmp_path, export(manager, personas), edit), manager, personas, confirm=False)
    assert "Row 2, UCAS Account ID: This UCAS Account ID is not a learner you manage" in out
    assert "Else" not in out


def test_a_workbook_without_the_learner_sheet_gets_a_message(tmp_path, manager, personas):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(COLUMNS)
    path = tmp_path / "wrong.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError, match="no sheet named 'Learner Qualifications'"):
        run(str(path), manager, personas, confirm=False)


def _wait(job: Job, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in Job.FINISHED:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.status}")


def test_the_page_exports_on_the_worker_emails_and_imports(
    celery_worker, transactional_db, client, qualification_data
):
    provider = make_provider(ukprn="10012345", name="Northgate Training")
    PortalSettings.objects.create(provider=provider, manager_adds_qualifications=True)
    manager = make_user(provider=provider, roles=[Role.LEARNER_MANAGER], email="lm@example.org")
    ben = make_portal_learner(provider=provider, first_name="Ben", last_name="Bell")
    other = make_provider(ukprn="10099999", name="Elsewhere")
    client.force_login(manager)
    response = client.post(
        "/apply/learners/qualifications/",
        {"export": "1", "provider": str(provider.code), "year_group": "11"},
    )
    assert response.status_code == 302
    job = _wait(Job.objects.get(kind="progress_apply.qualifications_export"))
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert celery_worker.wait_for_email(1)[0]["To"] == "lm@example.org"
    page = client.get("/apply/learners/qualifications/").content.decode()
    assert "Download learner-qualifications-year-11-" in page
    data = b"".join(client.get(f"/jobs/{job.code}/download/").streaming_content)
    _, rows = rows_of(data)
    assert set(rows) == {"Ben"}
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET_LEARNERS]
    sheet.cell(row=2, column=9, value="GCSE (9-1)")
    sheet.cell(row=2, column=10, value="Physics")
    sheet.cell(row=2, column=12, value="5")
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("quals.xlsx", out.getvalue())
    response = client.post(
        "/apply/learners/qualifications/",
        {"file": upload, "provider": str(provider.code), "separator": ","},
    )
    assert response.status_code == 302
    validation = _wait(Job.objects.get(kind="portal_qualifications.validate"))
    assert validation.report["accepted"] == 1
    client.post(f"/jobs/{validation.code}/confirm/")
    assert _wait(Job.objects.get(kind="portal_qualifications.apply")).status == "succeeded"
    assert [q.subject.name for q in ben.qualifications.all()] == ["Physics"]
    # Another provider's export is refused.
    response = client.post(
        "/apply/learners/qualifications/",
        {"export": "1", "provider": str(other.code), "year_group": "11"},
    )
    assert response.status_code == 404
