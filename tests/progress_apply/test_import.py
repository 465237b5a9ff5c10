"""The learner import (seed 003 §7): each kind of bad row, generated credentials, duplicates,
the provider rule, the template, the command line, undo, and the web flow on a real worker."""

from __future__ import annotations

import io
import re
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from picsweb.imports.pipeline import import_undo
from picsweb.models import ImportBatch, Job, Membership, Role
from progress_apply.importing import COLUMNS
from progress_apply.models import PortalLearner
from progress_apply.services import issued_decrypt
from tests.factories import make_provider, make_user
from tests.progress_apply.helpers import make_portal_learner

HEADER = ",".join(COLUMNS)
GOOD = "10012345,Year 11,Bob,Learner,LS6 2AB,2010-01-01"


def _file(tmp_path, *rows: str, header: str = HEADER) -> str:
    path = tmp_path / "learners.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def _run(path: str, user: str, *, confirm: bool = True) -> str:
    out = io.StringIO()
    call_command(
        "import_portal_learners",
        path,
        "--user",
        user,
        *(["--confirm"] if confirm else []),
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def manager(personas):
    return personas.by_role[Role.LEARNER_MANAGER]


def test_it_imports_learners_with_generated_usernames_and_passwords(tmp_path, manager):
    make_portal_learner(provider=manager.memberships.get().provider, username="BLearner")
    path = _file(
        tmp_path,
        GOOD,
        "10012345,11,Bill,Learner,ls62ab,2010-02-02,bill@school.example.org,1,High St,,Leeds,"
        "01134960000,1748529632,B801200005001,ABC1234567,Male,white and asian",
        "10012345,Year 7,Al,Li,LS6 2AB,2014-05-05",
    )
    out = _run(path, manager.username)
    assert "3 rows: 3 can be imported" in out and "Imported: 3 new" in out
    imported = PortalLearner.objects.exclude(user__username="BLearner").select_related("user")
    learners = {learner.user.first_name: learner for learner in imported}
    # Initial + last name, digits when taken (BLearner existed), at least 6 characters.
    assert learners["Bob"].user.username == "BLearner1"
    assert learners["Bill"].user.username == "BLearner2"
    assert learners["Al"].user.username == "ALi001"
    bill = learners["Bill"]
    assert (bill.postcode, bill.year_group, bill.uln, bill.gender, bill.ethnicity) == (
        "LS6 2AB",
        11,
        "1748529632",
        "male",
        "white_asian",
    )
    assert bill.user.email == "bill@school.example.org"
    for learner in learners.values():
        password = issued_decrypt(learner.issued_password)
        assert re.fullmatch(r"[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}", password)
        assert not learner.user.has_usable_password() and learner.must_change_password


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (",Year 11,Bob,Learner,LS6 2AB,2010-01-01", "UKPRN", "UKPRN is mandatory"),
        (
            "10099999,Year 11,Bob,Learner,LS6 2AB,2010-01-01",
            "UKPRN",
            "not one of a provider you manage",
        ),
        (
            "10012345,Year 6,Bob,Learner,LS6 2AB,2010-01-01",
            "Learner year group",
            "Year 7 to Year 14",
        ),
        ("10012345,,Bob,Learner,LS6 2AB,2010-01-01", "Learner year group", "is mandatory"),
        ("10012345,11,,Learner,LS6 2AB,2010-01-01", "First name", "First name is mandatory"),
        ("10012345,11,Bob,,LS6 2AB,2010-01-01", "Last name", "Last name is mandatory"),
        ("10012345,11,=1+1,Learner,LS6 2AB,2010-01-01", "First name", "runs as a formula"),
        ("10012345,11,Bob,@Learner,LS6 2AB,2010-01-01", "Last name", "runs as a formula"),
        ("10012345,11,Bob,Learner,,2010-01-01", "Postcode", "Postcode is mandatory"),
        (
            "10012345,11,Bob,Learner,QQ1 1AA,2010-01-01",
            "Postcode",
            "Postcodes must be full UK postcodes",
        ),
        ("10012345,11,Bob,Learner,LS6 2AB,01/01/2010", "Dob", "YYYY-MM-DD"),
        ("10012345,11,Bob,Learner,LS6 2AB,2010-02-30", "Dob", "YYYY-MM-DD"),
        ("10012345,11,Bob,Learner,LS6 2AB,1950-01-01", "Dob", "between 11 and 25"),
        (GOOD + ",bob@localhost", "Email address", "Enter a valid email address"),
        (GOOD + ",,,,,,0113 496", "Telephone", "Enter a valid UK telephone number"),
        (GOOD + ",,,,,,,1748529631", "ULN", "Unique Learner Number (ULN)"),
        (GOOD + ",,,,,,,,A801200005001", "UPN", "Unique Pupil Number (UPN)"),
        (GOOD + ",,,,,,,,,AB", "CCIS", "CCIS ID"),
        (GOOD + ",,,,,,,,,,Other", "Gender", "Gender must be one of: Female, Male"),
        (GOOD + ",,,,,,,,,,,Welsh", "Ethnicity", "Ethnicity must be one of"),
    ],
)
def test_each_kind_of_bad_row_is_named_and_nothing_is_imported(
    tmp_path, manager, row, column, message
):
    path = _file(tmp_path, GOOD.replace("Bob", "Rob"), row)
    out = _run(path, manager.username)
    assert re.search(rf"Row 3, {re.escape(column)}: [^\n]*{re.escape(message)}", out), out
    assert "1 has errors" in out
    # The accepted row only is imported; the errors file holds the bad one.
    assert PortalLearner.objects.count() == 1
    errors = (tmp_path / "learners-errors.csv").read_text(encoding="utf-8-sig")
    assert message.split(" ")[0] in errors


def test_duplicate_learners_are_row_errors(tmp_path, manager, personas):
    make_portal_learner(
        provider=personas.provider,
        first_name="Bob",
        last_name="Learner",
        date_of_birth=date(2010, 1, 1),
        uln="1000000043",
    )
    path = _file(
        tmp_path,
        GOOD,  # already there: same provider, names and date of birth
        "10012345,11,Cara,Jones,LS6 2AB,2010-03-03,,,,,,,1000000043",  # same ULN as a learner
        "10012345,11,Dan,Smith,LS6 2AB,2010-04-04",
        "10012345,11,dan,SMITH,LS6 2AB,2010-04-04",  # twice in the file
        "10012345,11,Eve,Ray,LS6 2AB,2010-05-05,,,,,,,1748529632",
        "10012345,11,Fay,Ray,LS6 2AB,2010-06-06,,,,,,,1748529632",  # ULN twice in the file
    )
    out = _run(path, manager.username, confirm=False)
    assert "Row 2: A learner with this first name, last name and date of birth is already" in out
    assert "Row 3, ULN: A learner with this ULN is already registered" in out
    assert "Row 5: The same learner (first name, last name and date of birth) is on row 4" in out
    assert "Row 7, ULN: This ULN is on row 6 of this file" in out
    assert "2 can be imported" in out


def test_the_header_must_have_the_mandatory_columns(tmp_path, manager):
    path = _file(tmp_path, "10012345,11", header="UKPRN,Learner year group")
    with pytest.raises(CommandError, match="no First name, Last name, Postcode, Dob column"):
        _run(path, manager.username)


def test_the_command_needs_a_learner_manager(tmp_path, personas):
    path = _file(tmp_path, GOOD)
    with pytest.raises(CommandError, match="not a learner manager"):
        _run(path, personas.by_role[Role.LEARNER_LIST].username)


def test_a_manager_at_two_providers_imports_to_both_and_undo_removes_them(tmp_path, manager):
    second = make_provider(ukprn="10077777", name="Second School")
    Membership.objects.create(user=manager, provider=second, role=Role.LEARNER_MANAGER)
    path = _file(tmp_path, GOOD, "10077777,12,Zoe,Khan,LS6 2AB,2009-01-01")
    _run(path, manager.username)
    assert set(PortalLearner.objects.values_list("provider__ukprn", flat=True)) == {
        "10012345",
        "10077777",
    }
    import_undo(batch=ImportBatch.objects.get(), user=manager)
    assert not PortalLearner.objects.exists()


def test_the_template_has_the_seeds_17_columns_in_order(personas, manager):
    client = personas.client_for(manager)
    response = client.get("/apply/learners/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == [
        "UKPRN",
        "Learner year group",
        "First name",
        "Last name",
        "Postcode",
        "Dob",
        "Email address",
        "House name or number",
        "Street",
        "Locality",
        "Town",
        "Telephone",
        "ULN",
        "UPN",
        "CCIS",
        "Gender",
        "Ethnicity",
    ]


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _wait(job: Job, timeout: float = 30) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in Job.FINISHED:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.status}")


def test_the_import_page_validates_and_applies_on_the_worker_and_emails(
    celery_worker, transactional_db, client
):
    provider = make_provider(ukprn="10012345", name="Northgate Training")
    manager = make_user(
        provider=provider, roles=[Role.LEARNER_MANAGER], email="lm@school.example.org"
    )
    client.force_login(manager)
    upload = SimpleUploadedFile(
        "learners.xlsx",
        _xlsx([[10012345, "Year 10", "Bob", "Learner", "LS6 2AB", date(2011, 1, 1)]]),
    )
    response = client.post("/apply/learners/import/", {"file": upload, "separator": ","})
    assert response.status_code == 302
    validation = _wait(Job.objects.get(kind="portal_learners.validate"))
    assert validation.status == Job.Status.SUCCEEDED and validation.report["accepted"] == 1
    page = client.get("/apply/learners/import/").content.decode()
    assert "learners.xlsx" in page and "Validation" in page
    client.post(f"/jobs/{validation.code}/confirm/")
    applied = _wait(Job.objects.get(kind="portal_learners.apply"))
    assert applied.status == Job.Status.SUCCEEDED
    learner = PortalLearner.objects.get()
    assert learner.user.username == "BLearner" and learner.year_group == 10
    emails = celery_worker.wait_for_email(2)
    assert all(e["To"] == "lm@school.example.org" for e in emails)
    # No credentials in the email.
    body = str(emails[-1])
    assert issued_decrypt(learner.issued_password) not in body
    assert "BLearner" in client.get("/apply/learners/not-logged-on/").content.decode()


def test_an_old_style_xls_workbook_imports_with_its_real_dates(manager, tmp_path):
    import shutil
    from pathlib import Path

    path = tmp_path / "learners.xls"  # the errors file is written beside it
    shutil.copy(Path(__file__).parent / "files" / "learners.xls", path)
    out = _run(str(path), manager.username, confirm=False)
    assert "3 rows: 2 can be imported" in out, out
    assert "Row 4, Learner year group: Give the year group as Year 7 to Year 14" in out
    _run(str(path), manager.username)
    born = dict(
        PortalLearner.objects.filter(user__last_name="Oldformat").values_list(
            "user__first_name", "date_of_birth"
        )
    )
    assert born == {"Xena": date(2011, 3, 4), "Yann": date(2010, 5, 6)}
