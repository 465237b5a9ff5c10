"""Job kinds used only by the tests; the test worker loads them with `--include`."""

from __future__ import annotations

import os
import time

from learners.models import Role
from picsweb import jobs
from picsweb.models import Job


def run_sleep(job: Job) -> None:
    """Reports its worker process, then ticks for params['seconds'] seconds."""
    job.report = {"pid": os.getpid()}
    job.save(update_fields=["report"])
    steps = int(job.params.get("seconds", 1) * 10)
    progress = jobs.Progress(job, total=steps)
    for step in range(1, steps + 1):
        time.sleep(0.1)
        progress(step)


def run_quiet(job: Job) -> None:
    """Works for params['seconds'] seconds without reporting progress (one long query, a
    lock wait)."""
    time.sleep(job.params.get("seconds", 1))


def run_fail(job: Job) -> None:
    if job.params.get("user_error"):
        raise jobs.JobError("The file has no rows.")
    raise RuntimeError("boom: an unexpected bug")


jobs.register_kind(
    jobs.JobKind("tests.sleep", "Test sleep", Role.LEARNER_LIST, "default", run_sleep)
)
jobs.register_kind(
    jobs.JobKind("tests.quiet", "Test quiet", Role.LEARNER_LIST, "default", run_quiet)
)
jobs.register_kind(
    jobs.JobKind("tests.fail", "Test failure", Role.LEARNER_LIST, "imports", run_fail)
)
