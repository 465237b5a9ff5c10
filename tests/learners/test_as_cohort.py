"""The AS Cohort Export: inclusion rules (seed 000), the AS file format, status changes."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from learners.as_cohort import (
    HEADER,
    as_cohort_build,
    as_cohort_csv,
    as_cohort_files,
    as_current_agreement_filter,
)
from learners.models import ASStatusChange, EmploymentStatus, Learner, Membership, Role
from picsweb import jobs
from picsweb.models import Job
from tests.factories import make_aim, make_employment, make_episode, make_learner

TODAY = date(2025, 11, 23)


def sendable(provider, **overrides):
    """A learner who passes every rule; overrides break one."""
    aim_fields = overrides.pop("aim", {})
    employment = overrides.pop("employment", {})
    learner = make_learner(
        provider=provider,
        **{
            "lrn": "LRN0001",
            "uln": "1748529632",
            "family_name": "Smith",
            "given_names": "Jane",
            "date_of_birth": date(2004, 3, 15),
            "email": "jane.smith@example.com",
            **overrides,
        },
    )
    if aim_fields is not None:
        episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
        make_aim(
            episode=episode,
            **{
                "standard_id": 91,
                "start_date": date(2025, 9, 1),
                "planned_end_date": date(2027, 3, 31),
                "training_price": Decimal("8000"),
                "epa_price": Decimal("1000"),
                "epa_org_id": "EPA0001",
                "rpl": False,
                **aim_fields,
            },
        )
    if employment is not None:
        make_employment(learner=learner, **{"as_agreement_id": "XEGE5X", **employment})
    return learner


def reasons_for(learner):
    export = as_cohort_build(learners=Learner.objects.filter(pk=learner.pk), today=TODAY)
    assert len(export.rows) + len(export.exclusions) == 1
    return export.exclusions[0].reasons if export.exclusions else []


def test_it_includes_a_learner_who_passes_every_rule(personas):
    assert reasons_for(sendable(personas.provider)) == []


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"state": Learner.State.ARCHIVED}, "The learner is archived, not live."),
        ({"state": Learner.State.DELETED}, "The learner is soft-deleted, not live."),
        ({"aim": None}, "No programme aim."),
        ({"aim": {"aim_type": 3, "aim_ref": "60012345"}}, "No programme aim."),
        ({"aim": {"standard_id": None}}, "The programme aim has no standard code."),
        ({"uln": "9999999999"}, "9999999999 is the temporary ULN, not the learner's own."),
        ({"uln": "1748529631"}, "The ULN 1748529631 fails its check digit."),
        ({"uln": ""}, "The ULN is missing."),
        ({"employment": None}, "No Employed employment status record with an AS Agreement ID."),
        (
            {"employment": {"as_agreement_id": ""}},
            "The Employed status current on 23/11/2025 has no AS Agreement ID.",
        ),
        (
            {"employment": {"status": EmploymentStatus.Status.NOT_EMPLOYED_LOOKING}},
            "The employment status on 23/11/2025 is Not employed, seeking and available for "
            "work, not Employed.",
        ),
        ({"email": ""}, "No email address."),
    ],
)
def test_it_names_each_seed_rule_a_learner_fails(personas, overrides, reason):
    assert reasons_for(sendable(personas.provider, **overrides)) == [reason]


def test_it_names_every_rule_when_several_fail(personas):
    learner = sendable(
        personas.provider,
        state=Learner.State.ARCHIVED,
        uln="9999999999",
        email="",
        aim=None,
        employment=None,
    )
    assert reasons_for(learner) == [
        "The learner is archived, not live.",
        "No programme aim.",
        "9999999999 is the temporary ULN, not the learner's own.",
        "No Employed employment status record with an AS Agreement ID.",
        "No email address.",
    ]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"family_name": "Smith, Jr"}, "FamilyName holds a comma, a quote or a line break"),
        ({"given_names": 'Jo "JJ"'}, "GivenNames holds a comma, a quote or a line break"),
        ({"family_name": "=cmd"}, "FamilyName starts with =, which a spreadsheet runs"),
        ({"aim": {"training_price": Decimal("8000.50")}}, "has pence: the AS takes whole pounds"),
        ({"aim": {"training_price": None, "epa_price": None}}, "No agreed price"),
        ({"aim": {"rpl": None}}, "Recognition of prior learning is not recorded"),
        (
            {
                "aim": {
                    "rpl": True,
                    "rpl_training_total_hours": 200,
                    "rpl_training_hours_reduction": 50,
                }
            },
            "leave at least 187 off-the-job hours",
        ),
        ({"date_of_birth": date(2012, 1, 1)}, "Aged 13 at the start"),
        ({"date_of_birth": None}, "No date of birth."),
        ({"email": "jane@localhost"}, "not one the Apprenticeship Service accepts"),
        ({"aim": {"planned_end_date": date(2025, 9, 30)}}, "end month must be after the start"),
        ({"aim": {"start_date": date(2017, 1, 1)}}, "starts before May 2017"),
    ],
)
def test_it_leaves_out_a_learner_whose_data_the_as_would_reject(personas, overrides, reason):
    found = reasons_for(sendable(personas.provider, **overrides))
    assert any(reason in r for r in found), found


def test_it_writes_the_header_and_a_row_byte_for_byte(personas):
    sendable(
        personas.provider,
        as_cohort_code="VLLXJ7",
        aim={
            "rpl": True,
            "rpl_training_total_hours": 600,
            "rpl_training_hours_reduction": 100,
            "rpl_price_reduced_by": 1200,
        },
    )
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    assert as_cohort_csv([cells for _, cells in export.rows]) == (
        b"CohortRef,AgreementID,ULN,FamilyName,GivenNames,DateOfBirth,EmailAddress,StdCode,"
        b"StartDate,EndDate,TotalPrice,EPAOrgID,ProviderRef,RecognisePriorLearning,"
        b"TrainingTotalHours,TrainingHoursReduction,IsDurationReducedByRPL,DurationReducedBy,"
        b"PriceReducedBy\r\n"
        b"VLLXJ7,XEGE5X,1748529632,Smith,Jane,2004-03-15,jane.smith@example.com,91,2025-09-01,"
        b"2027-03,9000,EPA0001,LRN0001,true,600,100,,,1200\r\n"
    )
    assert len(HEADER) == 19


def test_it_leaves_out_a_second_learner_with_the_same_uln_or_email(personas):
    sendable(personas.provider, lrn="A1", family_name="Able")
    sendable(personas.provider, lrn="B1", family_name="Baker", email="other@example.com")
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    assert export.included == 1
    assert export.exclusions[0].reasons == ["Learner A1 in this export has the same ULN."]


def test_it_exports_the_employment_status_current_at_the_export_date(personas):
    """The filter and the file follow one rule: the status current on the day."""
    newer = sendable(personas.provider, lrn="NEWER", employment={"as_agreement_id": "X00445"})
    make_employment(learner=newer, date_applies=date(2025, 10, 1), as_agreement_id="ZZZ999")
    left = sendable(
        personas.provider,
        lrn="LEFT",
        uln="2000000028",
        email="left@example.com",
        employment={"as_agreement_id": "X00445"},
    )
    make_employment(
        learner=left,
        date_applies=date(2025, 10, 1),
        status=EmploymentStatus.Status.NOT_EMPLOYED_LOOKING,
        as_agreement_id="",
    )
    future = sendable(
        personas.provider,
        lrn="FUTURE",
        uln="1000000043",
        email="future@example.com",
        employment={"as_agreement_id": "X00445"},
    )
    make_employment(learner=future, date_applies=date(2026, 1, 5), as_agreement_id="ZZZ999")

    found = as_current_agreement_filter(Learner.objects.all(), agreement_id="X00445", today=TODAY)
    assert sorted(learner.lrn for learner in found) == ["FUTURE"]
    newest = as_current_agreement_filter(Learner.objects.all(), agreement_id="ZZZ999", today=TODAY)
    assert [learner.lrn for learner in newest] == ["NEWER"]

    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    rows = {cells[12]: cells[1] for _, cells in export.rows}
    assert rows == {"NEWER": "ZZZ999", "FUTURE": "X00445"}
    assert [(e.lrn, e.reasons) for e in export.exclusions] == [
        (
            "LEFT",
            [
                "The employment status on 23/11/2025 is Not employed, seeking and available "
                "for work, not Employed."
            ],
        )
    ]


def test_of_two_statuses_on_one_date_the_filter_and_the_file_take_the_one_entered_later(
    personas,
):
    learner = sendable(personas.provider, lrn="TWICE", employment={"as_agreement_id": "X00445"})
    first = learner.employment_statuses.get()
    make_employment(learner=learner, date_applies=first.date_applies, as_agreement_id="ZZZ999")

    assert not as_current_agreement_filter(
        Learner.objects.all(), agreement_id="X00445", today=TODAY
    ).exists()
    found = as_current_agreement_filter(Learner.objects.all(), agreement_id="ZZZ999", today=TODAY)
    assert [learner.lrn for learner in found] == ["TWICE"]
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    assert [cells[1] for _, cells in export.rows] == ["ZZZ999"]


def test_it_lists_on_the_agreement_id_only_learners_employed_under_it_today(personas):
    staff = personas.by_role[Role.LEARNER_LIST]
    newer = sendable(personas.provider, lrn="NEWER", employment={"as_agreement_id": "X00445"})
    make_employment(learner=newer, date_applies=date(2025, 10, 1), as_agreement_id="ZZZ999")
    sendable(
        personas.provider,
        lrn="STILL",
        uln="2000000028",
        email="still@example.com",
        employment={"as_agreement_id": "X00445"},
    )
    client = personas.client_for(staff)
    listed = client.get("/learners/?as_agreement_id=X00445").context["page"].object_list
    assert [learner.lrn for learner in listed] == ["STILL"]


class TestTheJob:
    @pytest.fixture
    def staff(self, personas):
        user = personas.by_role[Role.BULK_ACTIONS]
        Membership.objects.create(user=user, provider=personas.provider, role=Role.LEARNER_LIST)
        return user

    def run(self, personas, staff, filters, confirm=None, **data):
        client = personas.client_for(staff)
        response = client.post(
            "/learners/bulk/",
            {
                "provider": personas.provider.code,
                "action": "as_cohort_export",
                "filters": filters,
                **data,
            },
        )
        check = Job.objects.get(code=response["Location"].split("/")[2])
        jobs.job_run(job_id=check.pk)
        check.refresh_from_db()
        confirmed = client.post(f"/learners/as-cohort/{check.code}/confirm/", confirm or {})
        job = Job.objects.get(code=confirmed["Location"].split("/")[2])
        jobs.job_run(job_id=job.pk)
        job.refresh_from_db()
        return client, job

    def check(self, personas, staff, filters, **data):
        client = personas.client_for(staff)
        response = client.post(
            "/learners/bulk/",
            {
                "provider": personas.provider.code,
                "action": "as_cohort_export",
                "filters": filters,
                **data,
            },
        )
        check = Job.objects.get(code=response["Location"].split("/")[2])
        jobs.job_run(job_id=check.pk)
        check.refresh_from_db()
        return client, check

    def test_it_checks_first_and_changes_nothing_until_confirmed(self, personas, staff):
        good = sendable(personas.provider, as_cohort_code="C1")
        sent = sendable(
            personas.provider,
            as_cohort_code="C1",
            lrn="LRN0002",
            uln="2000000028",
            email="sent@example.com",
            family_name="Sent",
            as_status=Learner.ASStatus.SENT,
        )
        earlier = ASStatusChange.objects.create(
            learner=sent, status=Learner.ASStatus.SENT, export_name="AS-cohort-old.csv"
        )
        sendable(personas.provider, as_cohort_code="C1", lrn="LRN0003", email="")
        client, check = self.check(personas, staff, "as_cohort=C1", select_all="3")

        assert check.status == Job.Status.SUCCEEDED and not check.result_file
        assert (check.report["in_file"], check.report["ready"]) == (1, 2)
        assert [e["lrn"] for e in check.report["excluded"]] == ["LRN0003"]
        when = timezone.localtime(earlier.changed_at).strftime("%d/%m/%Y %H:%M")
        assert check.report["sent_before"] == [
            {"code": str(sent.code), "lrn": "LRN0002", "name": "Jane Sent", "when": when}
        ]
        good.refresh_from_db()
        assert good.as_status == "" and ASStatusChange.objects.count() == 1
        page = client.get(f"/jobs/{check.code}/").content.decode()
        assert "Nothing has been sent and no AS status has changed yet." in page
        assert 'name="send_again" type="checkbox" value="yes"' in page
        assert when in page and "No email address." in page

        confirmed = client.post(f"/learners/as-cohort/{check.code}/confirm/")
        job = Job.objects.get(code=confirmed["Location"].split("/")[2])
        again = client.post(f"/learners/as-cohort/{check.code}/confirm/")
        assert again["Location"] == confirmed["Location"]  # one file per check
        jobs.job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED and job.report["included"] == 1
        sent_reason = [e["reasons"] for e in job.report["excluded"] if e["lrn"] == "LRN0002"]
        assert sent_reason == [
            [
                f"Sent to the Apprenticeship Service before on {when[:10]}, and Send again "
                "was not ticked."
            ]
        ]
        good.refresh_from_db()
        assert good.as_status == "sent"
        assert ASStatusChange.objects.filter(job=job).get().learner == good

    def test_it_sends_again_when_ticked(self, personas, staff):
        sendable(personas.provider, as_cohort_code="C1", as_status=Learner.ASStatus.SENT)
        _, job = self.run(
            personas, staff, "as_cohort=C1", select_all="1", confirm={"send_again": "yes"}
        )
        assert job.status == Job.Status.SUCCEEDED and job.report["included"] == 1
        assert ASStatusChange.objects.filter(job=job).count() == 1

    def test_it_refuses_to_confirm_another_users_check(self, personas, staff):
        sendable(personas.provider, as_cohort_code="C1")
        _, check = self.check(personas, staff, "as_cohort=C1", select_all="1")
        other = personas.client_for(personas.provider_admin)
        assert other.post(f"/learners/as-cohort/{check.code}/confirm/").status_code == 404
        assert Job.objects.count() == 1

    def test_it_warns_to_upload_each_file_of_a_zip_separately(self, personas, staff):
        job = Job.objects.create(
            kind="learners.as_cohort",
            owner=staff,
            provider=personas.provider,
            status=Job.Status.SUCCEEDED,
            result_name="AS-cohort-10012345-20251123-090000.zip",
            report={"included": 150, "files": 2, "excluded": []},
        )
        page = personas.client_for(staff).get(f"/jobs/{job.code}/").content.decode()
        assert "upload each file to the Apprenticeship Service separately, as it is" in page
        assert "do not open any of them in Excel" in page

    def test_it_exports_sets_the_status_and_records_who_and_which_file(self, personas, staff):
        good = sendable(personas.provider, as_cohort_code="C1")
        bad = sendable(
            personas.provider,
            as_cohort_code="C1",
            lrn="LRN0002",
            uln="9999999999",
            email="b@example.com",
        )
        client, job = self.run(personas, staff, "as_cohort=C1", select_all="2")

        assert job.status == Job.Status.SUCCEEDED, job.error_message
        assert job.result_name.startswith("AS-cohort-10012345-") and job.result_name.endswith(
            ".csv"
        )
        good.refresh_from_db()
        bad.refresh_from_db()
        assert (good.as_status, bad.as_status) == ("sent", "")
        change = ASStatusChange.objects.get()
        assert (change.learner, change.job, change.changed_by, change.export_name) == (
            good,
            job,
            staff,
            job.result_name,
        )
        page = client.get(f"/jobs/{job.code}/").content.decode()
        assert "do not open it in Excel" in page
        assert "9999999999 is the temporary ULN" in page
        assert f"/learners/{bad.code}/" in page
        lines = b"".join(client.get(f"/jobs/{job.code}/download/").streaming_content).splitlines()
        assert len(lines) == 2 and lines[1].startswith(b"C1,XEGE5X,1748529632,")
        listed = client.get("/learners/?as_status=sent").context["page"].object_list
        assert [learner.pk for learner in listed] == [good.pk]

    def test_it_changes_no_status_when_the_job_fails(self, personas, staff):
        learner = sendable(personas.provider, as_cohort_code="C1", email="")
        _, job = self.run(personas, staff, "as_cohort=C1", select_all="1")
        assert job.status == Job.Status.FAILED
        assert "None of the selected learners" in job.error_message
        assert job.report["excluded"][0]["reasons"] == ["No email address."]
        learner.refresh_from_db()
        assert learner.as_status == ""
        assert not ASStatusChange.objects.exists()

    def test_it_splits_more_than_99_learners_into_files_in_a_zip(self, personas, staff):
        export = as_cohort_build(learners=Learner.objects.none(), today=TODAY)
        export.rows = [(n, ["x"] * 19) for n in range(150)]
        name, content = as_cohort_files(export=export, ukprn="10012345", at=timezone.now())
        assert name.endswith(".zip")
        archive = zipfile.ZipFile(io.BytesIO(content))
        sizes = [len(archive.read(n).splitlines()) - 1 for n in sorted(archive.namelist())]
        assert sizes == [99, 51]
        assert all(n.endswith(("-01.csv", "-02.csv")) for n in archive.namelist())

    def test_it_offers_the_action_only_with_an_as_filter_and_the_role(self, personas, staff):
        sendable(personas.provider, as_cohort_code="C1")
        client = personas.client_for(staff)
        labels = lambda q: [a.label for a in client.get(f"/learners/{q}").context["actions"]]  # noqa: E731
        assert "AS Cohort Export" not in labels("")
        assert "AS Cohort Export" in labels("?as_cohort=C1")
        assert "AS Cohort Export" in labels("?as_agreement_id=XEGE5X")
        viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
        assert "AS Cohort Export" not in [
            a.label for a in viewer.get("/learners/?as_cohort=C1").context["actions"]
        ]

    def test_it_shows_the_action_disabled_with_the_reason_until_an_as_filter(self, personas, staff):
        sendable(personas.provider, as_cohort_code="C1")
        client = personas.client_for(staff)
        page = client.get("/learners/").content.decode()
        assert '<option value="as_cohort_export" disabled>AS Cohort Export' in page
        assert "To use AS Cohort Export, choose More, then AS Agreement ID or AS Cohort" in page
        filtered = client.get("/learners/?as_cohort=C1").content.decode()
        assert '<option value="as_cohort_export">AS Cohort Export</option>' in filtered
        assert "To use AS Cohort Export" not in filtered
        viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
        assert "AS Cohort Export" not in viewer.get("/learners/").content.decode()

    def test_it_never_exports_another_providers_learner(self, personas, staff):
        theirs = sendable(personas.other_provider, as_cohort_code="C1")
        sendable(personas.provider, as_cohort_code="C1")
        client = personas.client_for(staff)
        response = client.post(
            "/learners/bulk/",
            {
                "provider": personas.provider.code,
                "action": "as_cohort_export",
                "filters": "as_cohort=C1",
                "learner": [theirs.code],
            },
        )
        assert response.status_code == 302
        assert not Job.objects.exists()
        crafted = client.post(
            "/learners/bulk/",
            {
                "provider": personas.other_provider.code,
                "action": "as_cohort_export",
                "filters": "as_cohort=C1",
                "select_all": "1",
            },
        )
        assert crafted.status_code == 404


def test_it_runs_from_the_command_line_and_reports_exclusions(personas, tmp_path):
    sendable(personas.provider, as_cohort_code="C1")
    sendable(personas.provider, as_cohort_code="C1", lrn="LRN0002", email="", uln="1000000043")
    out = io.StringIO()
    call_command(
        "as_cohort_export",
        provider="10012345",
        cohort="C1",
        output=str(tmp_path / "as.csv"),
        report=str(tmp_path / "left-out.csv"),
        stdout=out,
    )
    assert out.getvalue().startswith("Included 1, excluded 1.")
    assert (tmp_path / "as.csv").read_bytes().count(b"\r\n") == 2
    assert "LRN0002" in (tmp_path / "left-out.csv").read_text(encoding="utf-8-sig")
    assert Learner.objects.filter(as_status="sent").count() == 1
