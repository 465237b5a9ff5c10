"""The job machinery, run in this process (tests/picsweb/test_worker.py runs it on a real
worker)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

import tests.worker_jobs  # noqa: F401 - registers the test job kinds
from learners.models import Membership, Role
from picsweb import jobs
from picsweb.models import Job, JobRow
from tests.factories import make_learner


@pytest.fixture
def owner(personas):
    user = personas.by_role[Role.LEARNER_LIST]
    user.email = "owner@example.com"
    user.save()
    return user


def start(personas, owner, kind, **params):
    return jobs.job_start(kind=kind, owner=owner, provider=personas.provider, params=params)


def test_it_runs_a_job_records_success_and_emails_the_owner(personas, owner):
    job = start(personas, owner, "tests.sleep", seconds=0.2)
    assert job.status == Job.Status.QUEUED

    jobs.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress_done == job.progress_total == 2
    assert job.started_at and job.finished_at
    assert [m.subject for m in mail.outbox] == ["Finished: Test sleep"]
    assert f"/jobs/{job.code}/" in mail.outbox[0].body


def test_it_shows_a_user_error_and_emails_the_failure(personas, owner):
    job = start(personas, owner, "tests.fail", user_error=True)
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error_message == "The file has no rows."
    assert mail.outbox[0].subject == "Failed: Test failure"
    assert "The file has no rows." in mail.outbox[0].body


def test_it_hides_an_unexpected_error_but_logs_it_with_the_job_reference(personas, owner, caplog):
    job = start(personas, owner, "tests.fail")
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "boom" not in job.error_message
    assert str(job.code) in job.error_message
    assert "boom: an unexpected bug" in caplog.text
    assert str(job.code) in caplog.text


def test_it_fails_a_job_redelivered_after_its_worker_died_instead_of_running_it_again(
    personas, owner
):
    job = start(personas, owner, "tests.sleep", seconds=5)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    jobs.job_run(job_id=job.pk)  # what the redelivered message does

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error_message == jobs.LOST_WORKER_MESSAGE
    assert job.report == {}  # the handler did not run again
    assert mail.outbox[0].subject == "Failed: Test sleep"


def test_it_fails_running_jobs_whose_worker_stopped_reporting(personas, owner, settings):
    settings.JOB_STALE_AFTER_SECONDS = 60
    stale = start(personas, owner, "tests.sleep")
    fresh = start(personas, owner, "tests.sleep")
    Job.objects.filter(pk=stale.pk).update(
        status=Job.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=5)
    )
    Job.objects.filter(pk=fresh.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())

    assert jobs.job_fail_stale() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == (Job.Status.FAILED, Job.Status.RUNNING)
    assert stale.error_message == jobs.LOST_WORKER_MESSAGE


def test_it_does_not_run_a_cancelled_or_finished_job(personas, owner):
    job = start(personas, owner, "tests.fail")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CANCELLED)
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert mail.outbox == []


def test_it_freezes_the_selected_learners_when_the_job_starts(personas, owner):
    chosen = [make_learner(provider=personas.provider) for _ in range(3)]
    from learners.models import Learner

    job = jobs.job_start(
        kind="tests.sleep",
        owner=owner,
        provider=personas.provider,
        rows=Learner.objects.filter(pk__in=[learner.pk for learner in chosen]),
    )
    make_learner(provider=personas.provider)  # arrives later: not part of the job
    assert job.progress_total == 3
    assert set(jobs.job_rows(job, Learner.objects.all())) == set(chosen)
    assert JobRow.objects.filter(job=job).count() == 3


def test_it_queues_the_task_only_after_the_transaction_commits(
    personas, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        start(personas, owner, "tests.sleep")
    assert len(callbacks) == 1


class TestJobPages:
    @pytest.fixture
    def job(self, personas, owner):
        job = start(personas, owner, "tests.sleep", seconds=0.1)
        jobs.job_run(job_id=job.pk)
        from django.core.files.base import ContentFile

        job.refresh_from_db()
        job.result_name = "result.csv"
        job.result_file.save("result.csv", ContentFile(b"a,b\r\n"))
        return job

    def test_it_lists_the_owners_jobs(self, personas, owner, job):
        page = personas.client_for(owner).get("/jobs/")
        assert page.status_code == 200
        assert b"Test sleep" in page.content
        other = personas.client_for(personas.by_role[Role.ILR_EXPORT]).get("/jobs/")
        assert b"Test sleep" not in other.content

    def test_it_shows_progress_and_the_download_to_the_owner(self, personas, owner, job):
        client = personas.client_for(owner)
        page = client.get(f"/jobs/{job.code}/")
        assert b"Your file is ready" in page.content
        status = client.get(f"/jobs/{job.code}/status/").json()
        assert status == {
            "status": "succeeded",
            "status_label": "Succeeded",
            "progress_text": "1 of 1 done",
            "done": 1,
            "total": 1,
            "percent": 100,
            "finished": True,
        }
        download = client.get(f"/jobs/{job.code}/download/")
        assert download["Content-Disposition"] == 'attachment; filename="result.csv"'
        assert b"".join(download.streaming_content) == b"a,b\r\n"

    @pytest.mark.parametrize("path", ["", "status/", "download/"])
    def test_it_hides_a_job_from_everyone_but_its_owner(self, personas, job, path):
        for intruder in (personas.outsider, personas.provider_admin, personas.superuser):
            response = personas.client_for(intruder).get(f"/jobs/{job.code}/{path}")
            assert response.status_code == 404

    def test_it_hides_a_job_from_an_owner_who_lost_the_role(self, personas, owner, job):
        Membership.objects.filter(user=owner).delete()
        response = personas.client_for(owner).get(f"/jobs/{job.code}/download/")
        assert response.status_code == 404

    def test_it_sends_anonymous_visitors_to_sign_in(self, client, job):
        assert client.get(f"/jobs/{job.code}/").status_code == 302
        assert client.get("/jobs/").status_code == 302


def test_the_email_of_a_validation_says_nothing_is_imported_yet_and_keeps_the_ampersand(
    personas, owner
):
    from regcert.importing import RegistrationImport

    kind = f"{RegistrationImport.kind}.validate"
    job = Job.objects.create(
        kind=kind, owner=owner, provider=personas.provider, status=Job.Status.RUNNING
    )
    jobs.job_succeed(job=job)
    (email,) = mail.outbox
    assert email.subject == "Finished: Registration & Certification import: validation"
    assert "Nothing is imported yet" in email.body and "download the file" not in email.body
    html = email.alternatives[0][0]  # type: ignore[attr-defined]
    assert "Nothing is imported yet" in html and "Open the report" in html


def test_a_job_not_yet_counted_says_it_is_starting_and_a_check_with_errors_says_so(personas, owner):
    job = start(personas, owner, "tests.sleep", seconds=0)
    page = personas.client_for(owner).get(f"/jobs/{job.code}/").content.decode()
    assert "Starting…" in page and "0 of 0 done" not in page
    job.status, job.report = Job.Status.SUCCEEDED, {"problem_rows": 2}
    assert job.status_label == "Checked: some rows have errors"


def test_an_import_applied_says_it_imported_and_how_many_rows_it_left_out(personas, owner):
    job = Job(kind="payments.apply", status=Job.Status.SUCCEEDED, report={"problem_rows": 1})
    assert job.status_label == "Imported: 1 row with errors left out"
    job.report = {"problem_rows": 1_200}
    assert job.status_label == "Imported: 1,200 rows with errors left out"
    job.report = {"problem_rows": 0}
    assert job.status_label == "Succeeded"


def test_the_learners_an_export_left_out_download_as_a_formula_safe_csv(personas):
    from learners.jobs import AS_COHORT_CHECK_JOB

    owner = personas.by_role[Role.BULK_ACTIONS]
    job = Job.objects.create(
        kind=AS_COHORT_CHECK_JOB,
        owner=owner,
        provider=personas.provider,
        status=Job.Status.SUCCEEDED,
        report={
            "included": 0,
            "excluded": [
                {
                    "name": "=HYPERLINK(1)",
                    "lrn": "L1",
                    "code": "x",
                    "reasons": ["No ULN", "No AS ID"],
                }
            ],
        },
    )
    response = personas.client_for(owner).get(f"/jobs/{job.code}/left-out.csv")
    assert response["Content-Disposition"].endswith('filename="learners-left-out.csv"')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == ["LRN,Learner,Reasons", "L1,'=HYPERLINK(1),No ULN; No AS ID"]
    outsider = personas.client_for(personas.outsider)
    assert outsider.get(f"/jobs/{job.code}/left-out.csv").status_code == 404


def test_my_jobs_tells_one_job_from_another_by_file_and_counts(personas, owner):
    Job.objects.create(
        kind="tests.sleep",
        owner=owner,
        provider=personas.provider,
        status=Job.Status.SUCCEEDED,
        input_name="march-payments.csv",
        report={"accepted": 2998, "problem_rows": 2},
    )
    page = personas.client_for(owner).get("/jobs/").content.decode()
    assert "march-payments.csv · 2,998 accepted · 2 with errors" in page
