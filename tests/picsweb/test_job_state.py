"""A job's state after a lost worker, on a real worker: the beat sweep (not page views) fails
only jobs whose heartbeat stopped, a swept job's late finish is discarded, a swept apply rolls
back and can be confirmed again."""

import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

import tests.worker_jobs  # noqa: F401 - registers the test job kinds
from learners.models import Provider, Role
from payments.importing import PAYMENTS
from payments.models import PaymentRecord
from picsweb import jobs
from picsweb.imports.pipeline import import_confirm, import_start
from picsweb.models import ImportBatch, Job
from tests.factories import make_episode, make_learner, make_provider, make_user
from tests.worker import start_beat, sweep_an_hour_later


def wait_for(job, test, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if test(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.status}")


@pytest.fixture
def owner(transactional_db):
    provider = make_provider(name="Northgate Training")
    return make_user(
        provider=provider,
        roles=[Role.LEARNER_LIST, Role.PAYMENTS_IMPORT],
        email="owner@example.com",
    )


def start(owner, kind, **params):
    provider = owner.memberships.first().provider
    return jobs.job_start(kind=kind, owner=owner, provider=provider, params=params)


def running_job(owner, heartbeat_age):
    """A job a worker claimed, whose last heartbeat is `heartbeat_age` old (not queued: only
    the sweep may touch it)."""
    return Job.objects.create(
        kind="tests.sleep",
        owner=owner,
        provider=owner.memberships.first().provider,
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now() - heartbeat_age,
    )


def test_it_leaves_other_users_jobs_alone_when_my_jobs_is_opened(owner, client, mailoutbox):
    other = make_user(
        provider=owner.memberships.first().provider,
        roles=[Role.LEARNER_LIST],
        email="other@example.com",
    )
    theirs = running_job(other, timedelta(hours=1))
    mine = running_job(owner, timedelta(seconds=0))
    client.force_login(owner)

    assert client.get("/jobs/").status_code == 200
    assert client.get(f"/jobs/{mine.code}/").status_code == 200

    theirs.refresh_from_db()
    assert theirs.status == Job.Status.RUNNING
    assert mailoutbox == []


def test_the_beat_fails_a_job_whose_worker_died_and_emails_its_owner(
    celery_worker, owner, tmp_path
):
    job = running_job(owner, timedelta(hours=1))

    for _ in start_beat(celery_worker, tmp_path, JOB_SWEEP_SECONDS="1"):
        wait_for(job, lambda j: j.is_finished)

    assert job.status == Job.Status.FAILED
    assert job.error_message == jobs.LOST_WORKER_MESSAGE
    (email,) = celery_worker.wait_for_email()
    assert email["Subject"] == "Failed: Test sleep"


def test_a_quiet_running_job_keeps_its_heartbeat_and_is_not_swept(celery_worker, owner, settings):
    settings.JOB_STALE_AFTER_SECONDS = 2
    job = start(owner, "tests.quiet", seconds=5)
    wait_for(job, lambda j: j.status == Job.Status.RUNNING)

    time.sleep(3.5)  # longer than JOB_STALE_AFTER_SECONDS without any progress

    assert jobs.job_fail_stale() == 0
    wait_for(job, lambda j: j.is_finished)
    assert job.status == Job.Status.SUCCEEDED


def test_a_swept_job_that_finishes_late_stays_failed(celery_worker, owner, mailoutbox):
    job = start(owner, "tests.sleep", seconds=5)  # still running when swept, on a busy machine
    wait_for(job, lambda j: j.status == Job.Status.RUNNING)
    assert sweep_an_hour_later() == 1
    assert [m.subject for m in mailoutbox] == ["Failed: Test sleep"]

    idle = start(owner, "tests.quiet", seconds=0.1)  # runs once the swept one has ended
    wait_for(idle, lambda j: j.is_finished)
    celery_worker.wait_for_email(1)
    time.sleep(0.5)

    job.refresh_from_db()
    assert (job.status, job.error_message) == (Job.Status.FAILED, jobs.LOST_WORKER_MESSAGE)
    assert [e["Subject"] for e in celery_worker.emails()] == ["Finished: Test quiet"]


def test_a_swept_apply_imports_nothing_and_can_be_confirmed_again(celery_worker, owner):
    provider = owner.memberships.first().provider
    make_episode(learner=make_learner(provider=provider), ident="00001")
    content = "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n" + "".join(
        f"00001,30/10/2024,{n}.00,C\n" for n in range(3)
    )
    validation = import_start(
        spec=PAYMENTS,
        owner=owner,
        provider=provider,
        upload=ContentFile(content.encode(), name="p.csv"),
    )
    wait_for(validation, lambda j: j.is_finished)
    assert validation.report["accepted"] == 3

    # Another import holds the provider: the apply waits for it, long enough to be swept.
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    side.set_autocommit(False)
    with side.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Provider._meta.db_table} WHERE id = %s FOR NO KEY UPDATE",  # noqa: S608
            [provider.pk],
        )
    try:
        apply_job = import_confirm(validation=validation, user=owner)
        wait_for(apply_job, lambda j: j.status == Job.Status.RUNNING)
        time.sleep(0.5)
        assert sweep_an_hour_later() == 1
    finally:
        side.rollback()
        side.close()
    idle = start(owner, "tests.sleep", seconds=0.1)  # runs once the apply has ended
    wait_for(idle, lambda j: j.is_finished)

    apply_job.refresh_from_db()
    assert apply_job.status == Job.Status.FAILED
    assert not PaymentRecord.objects.exists()
    assert not ImportBatch.objects.exists()

    validation.refresh_from_db()
    again = import_confirm(validation=validation, user=owner)
    wait_for(again, lambda j: j.is_finished)
    assert again.status == Job.Status.SUCCEEDED, again.error_message
    assert PaymentRecord.objects.count() == 3
