"""On a real worker: a workbook with one value at XFD1048576 (once an allocation of 512 GB
that aborted the worker, again on every restart) fails its job with a message, and so does one
whose reader runs out of memory; the worker lives on and runs the next job."""

import time

import pytest
from django.core.files.base import ContentFile

from learners.models import Role
from payments.importing import PAYMENTS
from picsweb.imports.pipeline import import_start
from picsweb.models import Job
from tests.factories import make_episode, make_learner, make_provider, make_user
from tests.xlsx_files import inline, row, xlsx

pytestmark = pytest.mark.worker


def wait_until_finished(job, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.status}")


def test_far_cells_fail_their_jobs_and_the_worker_runs_the_next(celery_worker, transactional_db):
    provider = make_provider(ukprn="10012345")
    owner = make_user(provider=provider, roles=[Role.PAYMENTS_IMPORT], email="o@example.com")
    make_episode(learner=make_learner(provider=provider), ident="00001")
    header = row(1, inline("A1", "IDENT"), inline("B1", "EXPECTED PAYMENT DATE"))
    hostile = xlsx([header, row(1048576, inline("XFD1048576", "x"))])

    job = import_start(
        spec=PAYMENTS,
        owner=owner,
        provider=provider,
        upload=ContentFile(hostile, name="far.xlsx"),
    )

    wait_until_finished(job)
    assert job.status == Job.Status.FAILED
    assert "column XFD" in job.error_message
    assert "at most 200 columns" in job.error_message
    [email] = celery_worker.wait_for_email(1)
    assert "failed" in email["Subject"].lower()
    assert celery_worker.process.poll() is None

    # Within every limit a first look can check, but more than the reader's memory (128 MB
    # for the test worker) once read: the reader runs out of memory, not the worker.
    texts = (f"{n:012d}" for n in range(1_350_000))
    heavy = xlsx([header, row(2, inline("A2", "00001"))], shared=texts)
    overrun = import_start(
        spec=PAYMENTS,
        owner=owner,
        provider=provider,
        upload=ContentFile(heavy, name="overrun.xlsx"),
    )
    wait_until_finished(overrun)
    assert overrun.status == Job.Status.FAILED
    assert overrun.error_message.startswith("This file needs more memory than allowed")
    assert celery_worker.process.poll() is None
    good = ContentFile(
        b"IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n"
        b"00001,30/10/2024,12.00,C\n",
        name="good.csv",
    )
    following = import_start(spec=PAYMENTS, owner=owner, provider=provider, upload=good)
    wait_until_finished(following)
    assert following.status == Job.Status.SUCCEEDED
    assert following.report["accepted"] == 1
