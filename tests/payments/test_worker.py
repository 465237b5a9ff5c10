"""A worker killed while applying an import leaves the database as it was."""

import os
import signal
import time

import pytest
from django.core.files.base import ContentFile

from learners.models import Role
from payments.importing import PAYMENTS
from payments.models import PaymentRecord
from picsweb.imports.pipeline import import_confirm, import_start
from picsweb.jobs import LOST_WORKER_MESSAGE
from picsweb.models import ImportBatch, Job
from tests.factories import make_episode, make_learner, make_provider, make_user

pytestmark = pytest.mark.worker


def wait_for(job, test, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if test(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job stayed {job.status} at {job.progress_done}")


def test_it_leaves_the_database_unchanged_when_the_worker_dies_mid_apply(
    celery_worker, transactional_db
):
    provider = make_provider(ukprn="10012345")
    owner = make_user(provider=provider, roles=[Role.PAYMENTS_IMPORT], email="o@example.com")
    make_episode(learner=make_learner(provider=provider), ident="00001")
    rows = "".join(f"00001,30/10/2024,{n}.00,C,row {n}\n" for n in range(60_000))
    content = "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT,NOTES\n" + rows
    upload = ContentFile(content.encode(), name="big.csv")

    validation = import_start(spec=PAYMENTS, owner=owner, provider=provider, upload=upload)
    wait_for(validation, lambda j: j.is_finished)
    assert validation.report["accepted"] == 60_000
    apply_job = import_confirm(validation=validation, user=owner)
    wait_for(apply_job, lambda j: j.status == Job.Status.RUNNING and j.progress_done > 0)
    pid = _worker_child_pid(celery_worker.process.pid)

    os.kill(pid, signal.SIGKILL)

    wait_for(apply_job, lambda j: j.is_finished)
    assert apply_job.status == Job.Status.FAILED
    assert apply_job.error_message == LOST_WORKER_MESSAGE
    assert not PaymentRecord.objects.exists()
    assert not ImportBatch.objects.exists()


def _worker_child_pid(parent: int) -> int:
    """The pool process of the worker (concurrency 1), found through /proc."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                return int(entry)
    raise AssertionError("no worker child process")
