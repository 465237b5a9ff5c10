"""Jobs on a real Celery worker process with Redis: queue, run, progress, email, download;
a failure reported; a worker killed mid-job."""

import os
import signal
import time

import pytest

import tests.worker_jobs  # noqa: F401 - registers the test job kinds
from learners.models import Role
from picsweb import jobs
from picsweb.models import Job
from tests.factories import make_learner, make_provider, make_user

pytestmark = pytest.mark.worker


def wait_for(job, statuses, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.status}")


@pytest.fixture
def owner(transactional_db):
    provider = make_provider(name="Northgate Training")
    return make_user(provider=provider, roles=[Role.LEARNER_LIST], email="owner@example.com")


def test_it_runs_the_csv_download_on_the_worker_end_to_end(celery_worker, owner, client, settings):
    settings.DIRECT_DOWNLOAD_LIMIT = 2
    provider = owner.memberships.get().provider
    for n in range(5):
        make_learner(provider=provider, family_name=f"Worker{n}", given_names="=HYPERLINK(1)")
    celery_worker.clear_mail()
    client.force_login(owner)

    response = client.post(
        "/learners/bulk/",
        {"provider": provider.code, "action": "download_csv", "filters": "", "select_all": "5"},
    )

    assert response.status_code == 302
    job = Job.objects.get(owner=owner)
    assert response["Location"] == f"/jobs/{job.code}/"
    wait_for(job, Job.FINISHED)
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert (job.progress_done, job.progress_total) == (5, 5)
    download = client.get(f"/jobs/{job.code}/download/")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("LRN,ULN,Title,Given names,Family name")
    assert len(lines) == 6
    assert all(",'=HYPERLINK(1)," in line for line in lines[1:])  # formula made harmless
    (email,) = celery_worker.wait_for_email()
    assert email["Subject"] == "Finished: Download learners as CSV"
    assert email["To"] == "owner@example.com"
    assert f"/jobs/{job.code}/" in email.get_payload()[0].get_payload()


def test_it_reports_a_failing_job_instead_of_swallowing_it(celery_worker, owner):
    celery_worker.clear_mail()
    job = jobs.job_start(
        kind="tests.fail", owner=owner, provider=owner.memberships.get().provider, params={}
    )
    wait_for(job, Job.FINISHED)
    assert job.status == Job.Status.FAILED
    assert str(job.code) in job.error_message
    (email,) = celery_worker.wait_for_email()
    assert email["Subject"] == "Failed: Test failure"
    assert "boom: an unexpected bug" in celery_worker.log.read_text()


def test_it_fails_a_job_whose_worker_process_is_killed(celery_worker, owner):
    celery_worker.clear_mail()
    job = jobs.job_start(
        kind="tests.sleep",
        owner=owner,
        provider=owner.memberships.get().provider,
        params={"seconds": 30},
    )
    wait_for(job, [Job.Status.RUNNING])
    deadline = time.monotonic() + 10
    while "pid" not in job.report and time.monotonic() < deadline:
        time.sleep(0.1)
        job.refresh_from_db()

    os.kill(job.report["pid"], signal.SIGKILL)  # the process running the job dies

    wait_for(job, Job.FINISHED)
    assert job.status == Job.Status.FAILED
    assert job.error_message == jobs.LOST_WORKER_MESSAGE
    (email,) = celery_worker.wait_for_email()
    assert email["Subject"] == "Failed: Test sleep"
