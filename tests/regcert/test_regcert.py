"""Registration & Certification (seed 002): column rules, the four matching notes, the status
revert, header order, size and separators, the errors CSV, the 32-column export, roles."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learners.models import Role
from picsweb import jobs
from picsweb.imports.pipeline import validate_file
from picsweb.imports.reading import ImportFileError
from picsweb.models import Job
from regcert.columns import COLUMNS, EXPORT_COLUMNS
from regcert.importing import REGCERT
from regcert.models import Registration
from tests.factories import make_aim, make_episode, make_learner, make_user

HEADER = ",".join(COLUMNS)
QUAL = "60312345"


@pytest.fixture
def learner(personas):
    learner = make_learner(
        provider=personas.provider,
        uln="1748529632",
        family_name="Okafor",
        given_names="Chidi",
        lrn="LRN1",
        qa_verified=True,
    )
    episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
    make_aim(episode=episode, programme_name="Software developer")
    make_aim(
        episode=episode,
        aim_ref=QUAL,
        aim_type=3,
        standard_id=None,
        qualification_name="Level 3 Diploma in Code",
        awarding_organisation="Pearson",
    )
    return learner


@pytest.fixture
def uploader(personas):
    user = make_user(
        provider=personas.provider, roles=[Role.BULK_UPLOAD, Role.MANAGE_REGCERT, Role.DATA_EXPORT]
    )
    return personas.client_for(user)


def check(provider, *rows, separator=","):
    text = "\n".join([HEADER.replace(",", separator), *rows]) + "\n"
    summary, _, _ = validate_file(
        spec=REGCERT, provider=provider, handle=io.BytesIO(text.encode()), separator=separator
    )
    return summary


def run(client, provider, *rows):
    """Upload, validate, confirm (as the worker would run them); returns both jobs."""
    content = "\n".join([HEADER, *rows]) + "\n"
    response = client.post(
        "/regcert/import/",
        {
            "provider": provider.code,
            "separator": ",",
            "file": SimpleUploadedFile("regs.csv", content.encode()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    validation = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=validation.pk)
    validation.refresh_from_db()
    response = client.post(f"/jobs/{validation.code}/confirm/")
    applied = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=applied.pk)
    applied.refresh_from_db()
    return validation, applied


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (",1748529632,Registered,R1,,,,,,", "Qualification Number", "is mandatory"),
        (f"{QUAL},,Registered,R1,,,,,,", "ULN", "is mandatory"),
        (f"{QUAL},1748529632,,R1,,,,,,", "Status", "is mandatory"),
        (f"{QUAL},1748529632,Passed,R1,,,,,,", "Status", "Not registered, Registered"),
        (f"{QUAL},1748529632,Registered,{'R' * 129},,,,,,", "Registration number", "At most 128"),
        (f"{QUAL},1748529632,Registered,R1,2025-09-01,,,,,", "Registration date", "dd/mm/yyyy"),
        (
            f"{QUAL},1748529632,Registered,R1,,31/02/2025,,,,",
            "Certificate claimed date",
            "does not exist",
        ),
        (
            f"{QUAL},1748529632,Registered,R1,,,,,,{'P' * 129}",
            "Postal Tracking Reference",
            "At most 128",
        ),
        (
            f"{QUAL},1000000043,Registered,R1,,,,,,",
            "ULN",
            "No learner of this provider has this ULN.",
        ),
        ("99999999,1748529632,Registered,R1,,,,,,", "Qualification Number", "no learning aim"),
    ],
)
def test_it_reports_each_column_rule(personas, learner, row, column, message):
    summary = check(personas.provider, row)
    assert summary.accepted == 0
    assert any(p.column == column and message in p.message for p in summary.problems), [
        (p.column, p.message) for p in summary.problems
    ]


def test_note_1_without_a_number_it_matches_by_uln_and_qualification(personas, learner, uploader):
    existing = Registration.objects.create(learner=learner, qualification_number=QUAL)
    run(uploader, personas.provider, f"{QUAL},1748529632,Exempt,,,,,,,")
    existing.refresh_from_db()
    assert existing.status == "Exempt"
    assert Registration.objects.count() == 1


def test_note_2_the_first_number_fills_the_empty_record_then_matches_by_number(
    personas, learner, uploader
):
    existing = Registration.objects.create(learner=learner, qualification_number=QUAL)
    run(uploader, personas.provider, f"{QUAL},1748529632,Registered,R1,01/09/2025,,,,,")
    existing.refresh_from_db()
    assert (existing.registration_number, existing.status) == ("R1", "Registered")
    run(uploader, personas.provider, f"{QUAL},1748529632,Achieved,R1,,,01/06/2026,,,")
    existing.refresh_from_db()
    assert (existing.status, existing.achieved_date) == ("Achieved", date(2026, 6, 1))
    assert Registration.objects.count() == 1
    # No record at all: the first upload with a number creates one.
    Registration.objects.all().delete()
    run(uploader, personas.provider, f"{QUAL},1748529632,Registered,R9,,,,,,")
    assert Registration.objects.get().registration_number == "R9"


def test_note_3_an_import_never_removes_a_registration_number(personas, learner):
    Registration.objects.create(
        learner=learner, qualification_number=QUAL, registration_number="R1", status="Registered"
    )
    summary = check(personas.provider, f"{QUAL},1748529632,Achieved,,,,,,,")
    assert summary.accepted == 0
    assert "give it to update the record" in summary.problems[0].message
    assert Registration.objects.get().registration_number == "R1"


def test_note_4_a_status_that_needs_a_number_reverts_and_the_report_says_so(
    personas, learner, uploader
):
    validation, applied = run(uploader, personas.provider, f"{QUAL},1748529632,Achieved,,,,,,,")
    assert validation.report["notes"] == [
        {
            "row": 2,
            "note": "Status Achieved needs a registration number, which this record has not "
            "got: it stays Not registered.",
        }
    ]
    assert applied.status == Job.Status.SUCCEEDED
    assert Registration.objects.get().status == "Not registered"
    page = uploader.get(f"/jobs/{validation.code}/").content.decode()
    assert "Notes on accepted rows" in page


def test_it_refuses_a_header_in_another_order_naming_the_column(personas):
    swapped = ",".join(["ULN", "Qualification Number", *list(COLUMNS)[2:]])
    with pytest.raises(
        ImportFileError,
        match="Column 1 of the header row is 'ULN'; it must be 'Qualification Number'",
    ):
        validate_file(
            spec=REGCERT, provider=personas.provider, handle=io.BytesIO(f"{swapped}\n".encode())
        )
    short = ",".join(list(COLUMNS)[:9])
    with pytest.raises(ImportFileError, match="column 10 must be 'Postal Tracking Reference'"):
        validate_file(
            spec=REGCERT, provider=personas.provider, handle=io.BytesIO(f"{short}\n".encode())
        )


def test_it_reads_a_semicolon_separated_file(personas, learner):
    summary = check(personas.provider, f"{QUAL};1748529632;Exempt;;;;;;;", separator=";")
    assert (summary.accepted, summary.new) == (1, 1)


def test_it_refuses_a_file_of_2_mb_or_more_and_xlsx(personas, uploader):
    big = (HEADER + "\n").encode() + b"x" * (2 * 1024 * 1024)
    response = uploader.post(
        "/regcert/import/",
        {
            "provider": personas.provider.code,
            "separator": ",",
            "file": SimpleUploadedFile("big.csv", big),
        },
    )
    assert response.status_code == 400
    assert "the largest this import takes is" in response.content.decode()
    xlsx = uploader.post(
        "/regcert/import/",
        {
            "provider": personas.provider.code,
            "separator": ",",
            "file": SimpleUploadedFile("r.xlsx", b"PK\x03\x04xlsx"),
        },
    )
    assert "This import takes CSV files." in xlsx.content.decode()


def test_it_gives_the_errors_as_csv_before_and_after_upload(personas, learner, uploader):
    validation, applied = run(
        uploader,
        personas.provider,
        f"{QUAL},1748529632,Exempt,,,,,,,",
        f"{QUAL},1748529632,Bogus,,,,,,,",
    )
    download = uploader.get(f"/jobs/{validation.code}/download/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [*COLUMNS, "ERRORS"]
    assert rows[1][:3] == [QUAL, "1748529632", "Bogus"] and rows[1][-1].startswith("Status: ")
    assert (
        f"/jobs/{validation.code}/download/"
        in uploader.get(f"/jobs/{applied.code}/").content.decode()
    )


def test_it_exports_the_32_columns_of_the_seed(personas, learner, uploader):
    record = Registration.objects.create(
        learner=learner,
        qualification_number=QUAL,
        status="Registered",
        registration_number="R1",
        registration_date=date(2025, 9, 15),
    )
    response = uploader.post(
        "/regcert/export/",
        {"provider": personas.provider.code, "filters": "", "registration": [record.code]},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == EXPORT_COLUMNS and len(rows[0]) == 32
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["First Name"], row["Last Name"], row["ULN"]) == ("Chidi", "Okafor", "1748529632")
    assert (row["Qualification number"], row["Qualification Name"]) == (
        QUAL,
        "Level 3 Diploma in Code",
    )
    assert (row["Awarding Organisation"], row["Programme Name"]) == (
        "Pearson",
        "Software developer",
    )
    assert (row["Status"], row["Registration number"], row["Registered Date"]) == (
        "Registered",
        "R1",
        "15/09/2025",
    )
    assert (row["Country"], row["QA Verified"]) == ("England", "Yes")


def test_it_runs_a_large_export_as_a_job(personas, learner, uploader, settings):
    settings.DIRECT_DOWNLOAD_LIMIT = 1
    for n in range(3):
        Registration.objects.create(
            learner=learner, qualification_number=QUAL, registration_number=f"R{n}"
        )
    response = uploader.post(
        "/regcert/export/", {"provider": personas.provider.code, "filters": "", "select_all": "3"}
    )
    job = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=job.pk)
    text = b"".join(uploader.get(f"/jobs/{job.code}/download/").streaming_content)
    assert text.decode("utf-8-sig").count("\r\n") == 4


def test_it_edits_a_record_the_only_way_to_remove_a_number(personas, learner, uploader):
    record = Registration.objects.create(
        learner=learner, qualification_number=QUAL, registration_number="R1", status="Registered"
    )
    refused = uploader.post(
        f"/regcert/{record.code}/edit/", {"status": "Registered", "registration_number": ""}
    )
    assert "Enter the registration number: Registered needs one" in refused.content.decode()
    uploader.post(
        f"/regcert/{record.code}/edit/", {"status": "Not registered", "registration_number": ""}
    )
    record.refresh_from_db()
    assert (record.registration_number, record.status) == ("", "Not registered")


class TestRoles:
    def test_each_page_needs_its_role(self, personas, learner):
        record = Registration.objects.create(learner=learner, qualification_number=QUAL)
        # Import and export need Manage R&C as well: tests/regcert/test_export.py.
        allowed = personas.client_for(personas.by_role[Role.MANAGE_REGCERT])
        refused = personas.client_for(personas.by_role[Role.LEARNER_LIST])
        for url in ["/regcert/", f"/regcert/{record.code}/edit/"]:
            assert allowed.get(url).status_code == 200, url
            assert refused.get(url).status_code == 403, url

    def test_an_outsider_reaches_nothing_of_this_provider(self, personas, learner):
        record = Registration.objects.create(learner=learner, qualification_number=QUAL)
        outsider = personas.client_for(personas.outsider)
        code = personas.provider.code
        assert outsider.get(f"/regcert/?provider={code}").status_code == 404
        assert outsider.get(f"/regcert/{record.code}/edit/").status_code == 404
        assert outsider.get(f"/regcert/import/?provider={code}").status_code == 404
        assert (
            outsider.post(
                "/regcert/export/", {"provider": code, "filters": "", "select_all": "1"}
            ).status_code
            == 404
        )
        own = outsider.post(
            "/regcert/export/",
            {
                "provider": personas.other_provider.code,
                "filters": "",
                "registration": [record.code],
            },
        )
        assert own.status_code == 302  # not in their list: refused with a message
        assert b"Okafor" not in own.content


def test_a_refused_undo_names_the_records_as_the_user_knows_them(personas, learner, uploader):
    existing = Registration.objects.create(learner=learner, qualification_number=QUAL)
    _, applied = run(uploader, personas.provider, f"{QUAL},1748529632,Exempt,,,,,,,")
    existing.refresh_from_db()
    existing.postal_tracking_reference = "edited by hand"
    existing.save()
    response = uploader.post(f"/jobs/{applied.code}/undo/", follow=True)
    page = response.content.decode()
    assert f"ULN 1748529632 (LRN LRN1), qualification {QUAL}" in page
    assert f"cannot be undone: {existing.pk}." not in page


def test_the_list_s_filters_and_page_survive_an_edit_and_a_visit_to_the_learner(
    personas, learner, uploader
):
    from urllib.parse import quote

    record = Registration.objects.create(learner=learner, qualification_number=QUAL)
    query = f"provider={personas.provider.code}&status=Not+registered&page=2"
    listed = uploader.get(f"/regcert/?{query}").content.decode()
    assert f"?back={quote(query, safe='')}" in listed  # the Edit link carries the list's query
    back = quote(query, safe="")
    page = uploader.get(f"/regcert/{record.code}/edit/?back={back}").content.decode()
    assert "status=Not+registered&amp;page=2" in page  # the back link
    saved = uploader.post(
        f"/regcert/{record.code}/edit/?back={back}",
        {"status": "Exempt", "registration_number": ""},
    )
    assert saved["Location"] == f"/regcert/?{query}"
    # Only a query string goes back into the link, whatever is sent.
    odd = uploader.get(f"/regcert/{record.code}/edit/?back=//evil.example/x").content.decode()
    assert 'href="/regcert/?%2F%2Fevil.example%2Fx=' in odd
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    detail = viewer.get(f"/learners/{learner.code}/?back={back}").content.decode()
    assert f'href="/learners/?{query.replace("&", "&amp;")}"' in detail


def test_the_search_finds_a_learner_by_both_names_in_either_order(personas, learner, uploader):
    Registration.objects.create(learner=learner, qualification_number=QUAL)
    for words in ("Chidi Okafor", "okafor chidi", "Okaf", "1748529632", "LRN1"):
        page = uploader.get(
            "/regcert/", {"provider": personas.provider.code, "learner": words}
        ).content.decode()
        assert "Chidi Okafor" in page, words
    page = uploader.get(
        "/regcert/", {"provider": personas.provider.code, "learner": "Chidi Smith"}
    ).content.decode()
    assert "Chidi Okafor" not in page


def test_the_edit_form_takes_dates_as_day_month_year_with_plain_messages(
    personas, learner, uploader
):
    record = Registration.objects.create(
        learner=learner, qualification_number=QUAL, registration_number="R1", status="Registered"
    )
    url = f"/regcert/{record.code}/edit/"
    page = uploader.get(url).content.decode()
    assert 'type="date"' not in page and 'name="registration_date_0"' in page
    base = {"status": "Registered", "registration_number": "R1"}
    dates = {
        "registration_date_0": "1",
        "registration_date_1": "9",
        "registration_date_2": "2025",
        "achieved_date_0": "31",
        "achieved_date_1": "8",
        "achieved_date_2": "2025",
    }
    refused = uploader.post(url, {**base, **dates}).content.decode()
    assert "The achieved date must be on or after the registration date" in refused
    refused = uploader.post(url, {**base, **dates, "achieved_date_0": "31", "achieved_date_1": "2"})
    assert (
        "Enter the achieved date as a real date, for example 27 3 2025" in refused.content.decode()
    )
    refused = uploader.post(url, {**base, **dates, "achieved_date_1": ""}).content.decode()
    assert "The achieved date must include a month" in refused
    assert 'href="#id_achieved_date_0"' in refused  # the summary links to the first box
    saved = uploader.post(url, {**base, **dates, "achieved_date_1": "10"})
    assert saved.status_code == 302
    record.refresh_from_db()
    assert (record.registration_date, record.achieved_date) == (
        date(2025, 9, 1),
        date(2025, 10, 31),
    )
    page = uploader.get(url).content.decode()
    assert 'name="achieved_date_0" type="text" inputmode="numeric" value="31"' in page
    missing = uploader.post(url, {**dates, "achieved_date_1": "10", "status": "Registered"})
    page = missing.content.decode()
    assert 'href="#id_registration_number"' in page and "needs one" in page


def test_a_registration_range_that_ends_before_it_starts_says_so(personas, learner, uploader):
    Registration.objects.create(learner=learner, qualification_number=QUAL)
    page = uploader.get(
        "/regcert/",
        {
            "provider": personas.provider.code,
            "registered_from": "01/09/2025",
            "registered_to": "01/08/2025",
        },
    ).content.decode()
    assert "must be the same as or after the &#x27;from&#x27; date" in page
    assert "Fix the filters marked above" in page
