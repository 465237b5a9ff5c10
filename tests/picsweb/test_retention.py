"""Files of finished jobs are kept FILE_RETENTION_DAYS, then removed by the beat's task."""

from datetime import timedelta

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

import tests.worker_jobs  # noqa: F401 - registers the test job kinds
from learners.models import Role
from picsweb import jobs
from picsweb.celery import app


def finished_job(personas, owner, days_ago):
    job = jobs.job_start(
        kind="tests.sleep",
        owner=owner,
        provider=personas.provider,
        input_file=ContentFile(b"uploaded"),
        input_name="upload.csv",
    )
    jobs.job_run(job_id=job.pk)  # sleeps 1 s
    job.refresh_from_db()
    job.result_file.save("result.csv", ContentFile(b"a,b\r\n"), save=False)
    job.result_name = "result.csv"
    job.finished_at = timezone.now() - timedelta(days=days_ago)
    job.save()
    return job


def test_it_removes_the_files_of_jobs_that_ended_longer_ago_than_the_retention(personas, settings):
    settings.FILE_RETENTION_DAYS = 30
    owner = personas.by_role[Role.LEARNER_LIST]
    old = finished_job(personas, owner, days_ago=31)
    recent = finished_job(personas, owner, days_ago=29)
    old_files = [old.input_file.name, old.result_file.name]

    assert jobs.job_remove_expired_files() == 1

    assert not any(default_storage.exists(name) for name in old_files)
    assert default_storage.exists(recent.result_file.name)
    client = personas.client_for(owner)
    page = client.get(f"/jobs/{old.code}/").content.decode()
    assert "The files of this job are no longer kept" in page
    assert "Download result.csv" not in page
    assert client.get(f"/jobs/{old.code}/download/").status_code == 404
    assert "Download result.csv" in client.get(f"/jobs/{recent.code}/").content.decode()
    assert jobs.job_remove_expired_files() == 0  # once only


def test_celery_beat_runs_the_sweep_and_the_removal_on_the_worker():
    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {"picsweb.sweep_stale_jobs", "picsweb.remove_expired_files"}
    app.loader.import_default_modules()
    assert scheduled <= set(app.tasks)
