"""Every export, beside the import pipeline: an `ExportSpec` says who may export (role), what
the file is called, how it is written, on which queue and what it acts on (`scope`: the rows
of a provider it may take); `register_export` makes its job kind.

`export_start` is the one way a download from a page starts: at most DIRECT_DOWNLOAD_LIMIT
rows download at once; more run as a job. `export_job` is the one way an export's job
starts (export_start's, and those of exports that always run as a job: the AS cohort's check
and file, the ILR return): its rows are frozen at that moment (one INSERT ... SELECT into
`JobRow`), so the file holds exactly the rows the user chose, whatever changes before the
worker gets to it. The job reads them back with `export_rows(job)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.files import File
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect

from picsweb import jobs
from picsweb.models import Job, Provider, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ExportWriter(Protocol):
    def __call__(
        self,
        *,
        rows: QuerySet[Any],
        provider: Provider,
        params: dict[str, Any],
        progress: Callable[[int], None] | None,
    ) -> File[bytes]: ...


@dataclass(frozen=True)
class ExportSpec:
    kind: str  # its job kind, e.g. "regcert.export"
    label: str
    role: Role
    scope: Callable[[Provider], QuerySet[Any]]  # the rows of a provider it may act on
    # The file, from the rows (safe from formula injection), and its name from the params.
    # An export whose job does more than write a file (a check, a validated return) gives
    # `run` instead, and reads its frozen rows with `export_rows`.
    write: ExportWriter | None = None
    file_name: Callable[[dict[str, Any]], str] | None = None
    run: Callable[[Job], None] | None = None
    also_roles: tuple[Role, ...] = field(default=())  # needed too, at the same provider
    queue: str = "exports"
    report_template: str = ""  # the job page's partial for job.report
    direct: bool = True  # small selections download at once (False: always a job)
    page: Callable[[Job], str] | None = None  # the page of what the job makes (JobKind.page)
    left_out_key: str = ""  # JobKind.left_out_key

    def __post_init__(self) -> None:
        if (self.run is None) == (self.write is None or self.file_name is None):
            raise ValueError(f"{self.kind}: give either write and file_name, or run")

    @property
    def roles(self) -> tuple[Role, ...]:
        return (self.role, *self.also_roles)


_EXPORTS: dict[str, ExportSpec] = {}


def register_export(spec: ExportSpec) -> ExportSpec:
    _EXPORTS[spec.kind] = spec
    jobs.register_kind(
        jobs.JobKind(
            name=spec.kind,
            label=spec.label,
            role=spec.role,
            queue=spec.queue,
            run=spec.run or _run_export,
            also_roles=spec.also_roles,
            report_template=spec.report_template,
            page=spec.page,
            left_out_key=spec.left_out_key,
        )
    )
    return spec


def export_start(
    *,
    spec: ExportSpec,
    user: User,
    provider: Provider,
    rows: QuerySet[Any],
    params: dict[str, Any] | None = None,
    count: int | None = None,
) -> HttpResponse | FileResponse:
    """The file at once for a small selection; else a job acting on exactly these rows,
    frozen now, and the job's page. `rows` must lie inside `spec.scope(provider)`: the
    caller has resolved the user's selection within it."""
    params = params or {}
    if count is None:
        count = rows.count()
    if spec.direct and count <= settings.DIRECT_DOWNLOAD_LIMIT:
        assert spec.write is not None and spec.file_name is not None
        name = spec.file_name(params)
        content = spec.write(rows=rows, provider=provider, params=params, progress=None)
        return FileResponse(
            content, as_attachment=True, filename=name, content_type=_content_type(name)
        )
    job = export_job(spec=spec, user=user, provider=provider, rows=rows, params=params, count=count)
    return redirect("jobs:detail", code=job.code)


def export_job(
    *,
    spec: ExportSpec,
    user: User,
    provider: Provider,
    rows: QuerySet[Any],
    params: dict[str, Any] | None = None,
    count: int | None = None,
) -> Job:
    """The export's job, acting on exactly `rows` (frozen now, kept inside the spec's scope
    of the provider, whatever the caller passed)."""
    if rows.model is not spec.scope(provider).model:
        raise TypeError(f"{spec.kind} acts on {spec.scope(provider).model.__name__} rows")
    in_scope = spec.scope(provider).filter(pk__in=rows.values("pk"))
    job = jobs.job_start(
        kind=spec.kind, owner=user, provider=provider, params=dict(params or {}), rows=in_scope
    )
    # How many the user chose (the list's N), else how many were frozen.
    job.params["count"] = count if count is not None else job.progress_total
    job.save(update_fields=["params"])
    return job


def export_rows(job: Job) -> QuerySet[Any]:
    """The rows an export job froze when it started, still inside its provider's scope."""
    return jobs.job_rows(job, _EXPORTS[job.kind].scope(job.provider))


_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _content_type(name: str) -> str:
    return _CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")


def _run_export(job: Job) -> None:
    spec = _EXPORTS[job.kind]
    assert spec.write is not None and spec.file_name is not None
    rows = export_rows(job)
    content = spec.write(
        rows=rows, provider=job.provider, params=job.params, progress=jobs.Progress(job)
    )
    jobs.job_save_result(job=job, name=spec.file_name(job.params), content=content)
