"""The job that makes an ILR file."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.utils import timezone

from ilr_exports.models import IlrExport
from ilr_exports.services import (
    ilr_aims,
    ilr_file_name,
    ilr_learners,
    ilr_write_validated,
)
from ilr_exports.years import YEARS
from learners.models import Role
from picsweb import jobs
from picsweb.models import Job

GENERATE = "ilr_exports.generate"


def run_generate(job: Job) -> None:
    export = IlrExport.objects.select_related("provider").get(code=job.params["export"])
    year = YEARS[export.year_code]
    at = timezone.localtime()
    total = ilr_learners(export=export, aims=ilr_aims(export=export, year=year)).count()
    progress = jobs.Progress(job, total=total)
    with File(tempfile.TemporaryFile()) as handle:
        written, problem = ilr_write_validated(
            export=export, year=year, at=at, handle=handle, progress=progress
        )
        job.report = {
            "learners": written.learners,
            "problems": [
                {"code": p.code, "lrn": p.lrn, "name": p.name, "reasons": p.reasons}
                for p in written.problems
            ],
        }
        job.save(update_fields=["report"])
        if not written.learners:
            raise jobs.JobError("No learner can go in this file: the reasons are listed for each.")
        if problem:  # the file is never offered
            raise jobs.JobError(problem)
        handle.seek(0)
        name = ilr_file_name(ukprn=export.provider.ukprn, year=year, at=at, serial=export.serial)
        jobs.job_save_result(job=job, name=name, content=handle)
    export.file_name = name
    export.learner_count = written.learners
    export.save(update_fields=["file_name", "learner_count"])


jobs.register_kind(
    jobs.JobKind(
        name=GENERATE,
        label="ILR export",
        role=Role.ILR_EXPORT,
        queue="exports",
        run=run_generate,
        report_template="ilr_exports/_report.html",
    )
)
