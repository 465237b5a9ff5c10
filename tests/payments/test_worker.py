"""A worker killed or swept while applying an import leaves the database as it was, or (its
pool process having finished) fully imported: never part of a file."""

import os
import signal
import time

import pytest
from django.core.files.base import ContentFile

from learners.models import Role
from payments.importing import PAYMENTS
from payments.models import PaymentRecord
from picsweb import jobs
from picsweb.imports.pipeline import import_confirm, import_start
from picsweb.jobs import LOST_WORKER_MESSAGE
from picsweb.models import ImportBatch, Job
from tests.factories import make_episode, make_learner, make_provider, make_user
from tests.worker import sweep_an_hour_later, worker_children

pytestmark = pytest.mark.worker


def wait_for(job, test, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if test(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job stayed {job.status} at {job.progress_done}")


ROWS = 60_000


def validated(transactional_db):
    provider = make_provider(ukprn="10012345")
    owner = make_user(provider=provider, roles=[Role.PAYMENTS_IMPORT], email="o@example.com")
    make_episode(learner=make_learner(provider=provider), ident="00001")
    rows = "".join(f"00001,30/10/2024,{n}.00,C,row {n}\n" for n in range(ROWS))
    content = "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT,NOTES\n" + rows
    upload = ContentFile(content.encode(), name="big.csv")
    validation = import_start(spec=PAYMENTS, owner=owner, provider=provider, upload=upload)
    wait_for(validation, lambda j: j.is_finished)
    assert validation.report["accepted"] == ROWS
    return validation, owner


def test_it_leaves_the_database_unchanged_when_the_worker_dies_mid_apply(
    celery_worker, transactional_db
):
    validation, owner = validated(transactional_db)
    apply_job = import_confirm(validation=validation, user=owner)
    wait_for(apply_job, lambda j: j.status == Job.Status.RUNNING and j.progress_done > 0)
    [pid] = worker_children(celery_worker.process.pid)

    os.kill(pid, signal.SIGKILL)

    wait_for(apply_job, lambda j: j.is_finished)
    assert apply_job.status == Job.Status.FAILED
    assert apply_job.error_message == LOST_WORKER_MESSAGE
    assert not PaymentRecord.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_worker_whose_main_process_is_killed_mid_apply_leaves_all_or_nothing(
    celery_worker, transactional_db, settings
):
    validation, owner = validated(transactional_db)
    apply_job = import_confirm(validation=validation, user=owner)
    wait_for(apply_job, lambda j: j.status == Job.Status.RUNNING and j.progress_done > 0)

    os.kill(celery_worker.process.pid, signal.SIGKILL)

    settings.JOB_STALE_AFTER_SECONDS = 3  # the test worker beats every second
    deadline = time.monotonic() + 90
    while not apply_job.is_finished and time.monotonic() < deadline:
        jobs.job_fail_stale()  # what the beat does
        time.sleep(0.5)
        apply_job.refresh_from_db()
    assert apply_job.is_finished, "the job stayed running after its worker was killed"
    if apply_job.status == Job.Status.FAILED:
        assert apply_job.error_message == LOST_WORKER_MESSAGE
        assert not PaymentRecord.objects.exists()
    else:  # the pool process outlived its parent and finished the whole file
        assert apply_job.status == Job.Status.SUCCEEDED
        assert PaymentRecord.objects.count() == ROWS


def test_an_apply_swept_while_writing_rolls_back_and_can_be_confirmed_again(
    celery_worker, transactional_db
):
    validation, owner = validated(transactional_db)
    apply_job = import_confirm(validation=validation, user=owner)
    wait_for(apply_job, lambda j: j.status == Job.Status.RUNNING and j.progress_done > 0)
    assert sweep_an_hour_later() == 1

    validation.refresh_from_db()
    again = import_confirm(validation=validation, user=owner)  # waits for the first to end
    wait_for(again, lambda j: j.is_finished)
    apply_job.refresh_from_db()
    assert (apply_job.status, apply_job.error_message) == (Job.Status.FAILED, LOST_WORKER_MESSAGE)
    assert again.status == Job.Status.SUCCEEDED, again.error_message
    assert PaymentRecord.objects.count() == ROWS
    assert ImportBatch.objects.count() == 1
