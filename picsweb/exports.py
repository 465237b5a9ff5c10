"""Every download of a list, beside the import pipeline: an `ExportSpec` says who may export
(role), what the file is called, how it is written, on which queue and what it acts on
(`scope`: the rows of a provider it may take); `register_export` makes its job kind.

`export_start` is the one way an export starts: at most DIRECT_DOWNLOAD_LIMIT rows download
at once; more run as a job, whose rows are frozen at that moment (one INSERT ... SELECT into
`JobRow`), so the file holds exactly the rows the user chose, whatever changes before the
worker gets to it.
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
    write: ExportWriter  # the file, from the rows (safe from formula injection)
    file_name: Callable[[dict[str, Any]], str]  # from the params (e.g. the format)
    also_roles: tuple[Role, ...] = field(default=())  # needed too, at the same provider
    queue: str = "exports"

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
            run=_run_export,
            also_roles=spec.also_roles,
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
    if count <= settings.DIRECT_DOWNLOAD_LIMIT:
        name = spec.file_name(params)
        content = spec.write(rows=rows, provider=provider, params=params, progress=None)
        return FileResponse(
            content, as_attachment=True, filename=name, content_type=_content_type(name)
        )
    job = jobs.job_start(
        kind=spec.kind,
        owner=user,
        provider=provider,
        params={**params, "count": count},
        rows=rows,
    )
    return redirect("jobs:detail", code=job.code)


_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _content_type(name: str) -> str:
    return _CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")


def _run_export(job: Job) -> None:
    spec = _EXPORTS[job.kind]
    rows = jobs.job_rows(job, spec.scope(job.provider))
    content = spec.write(
        rows=rows, provider=job.provider, params=job.params, progress=jobs.Progress(job)
    )
    jobs.job_save_result(job=job, name=spec.file_name(job.params), content=content)
