"""The ILR export as an ExportSpec: Create freezes the learners its filters choose, and the
job makes, validates and keeps the file for exactly those learners."""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ilr_exports.models import IlrExport
from ilr_exports.services import (
    Discard,
    Written,
    ilr_export_record,
    ilr_file_name,
    ilr_learners,
    ilr_write,
    ilr_write_validated,
)
from ilr_exports.years import YEARS, CollectionYear
from learners.models import Learner, Provider, Role
from picsweb import exports, jobs
from picsweb.models import Job

GENERATE = "ilr_exports.generate"


def run_generate(job: Job) -> None:
    export = IlrExport.objects.select_related("provider").get(code=job.params["export"])
    year = YEARS[export.year_code]
    at = timezone.localtime()
    progress = jobs.Progress(job, total=job.progress_total)
    if export.check_only:
        written = ilr_write(
            export=export,
            year=year,
            at=at,
            handle=Discard(),  # type: ignore[arg-type]
            progress=progress,
            learners=exports.export_rows(job),
        )
        job.report = _report(written) | {"check_only": True}
        job.save(update_fields=["report"])
        export.learner_count = written.learners
        export.save(update_fields=["learner_count"])
        return
    with File(tempfile.TemporaryFile()) as handle:
        written, problem = ilr_write_validated(
            export=export,
            year=year,
            at=at,
            handle=handle,
            progress=progress,
            learners=exports.export_rows(job),
        )
        job.report = _report(written)
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


def _report(written: Written) -> dict[str, Any]:
    return {
        "learners": written.learners,
        "problems": [p.as_report() for p in written.problems],
        "warnings": [p.as_report() for p in written.warnings],
    }


def _provider_learners(provider: Provider) -> QuerySet[Learner]:
    return Learner.objects.filter(provider=provider)


def _export_page(job: Job) -> str:
    """The export's own page (its status, download and learners left out)."""
    from django.urls import reverse

    export = IlrExport.objects.filter(job=job).first()
    if export is None:
        return reverse("jobs:detail", kwargs={"code": job.code})
    return reverse("ilr_exports:detail", kwargs={"code": export.code})


ILR_EXPORT = exports.register_export(
    exports.ExportSpec(
        kind=GENERATE,
        label="ILR export",
        role=Role.ILR_EXPORT,
        scope=_provider_learners,
        run=run_generate,
        report_template="ilr_exports/_report.html",
        direct=False,  # validated against the XSD, with a serial: always a job
        page=_export_page,
        left_out_key="problems",
    )
)


def ilr_export_create(
    *,
    provider: Provider,
    user: Any,
    year: CollectionYear,
    filters: dict[str, Any],
    monitoring: list[str],
    check_only: bool = False,
) -> IlrExport:
    """Records the export with its serial and starts its job on the learners the filters
    choose now (frozen: a learner added or changed before the worker starts is not in it)."""
    with transaction.atomic():
        export = ilr_export_record(
            provider=provider,
            user=user,
            year=year,
            filters=filters,
            monitoring=monitoring,
            check_only=check_only,
        )
        export.job = exports.export_job(
            spec=ILR_EXPORT,
            user=user,
            provider=provider,
            rows=ilr_learners(export=export, year=year),
            params={"export": str(export.code)},
        )
        export.save(update_fields=["job"])
    return export
