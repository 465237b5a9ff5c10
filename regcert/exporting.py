"""The Registration & Certification export (seed 002) as an ExportSpec: Data Export on the
R&C screen, which needs Manage R&C too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone

from learners.models import Provider, Role
from picsweb.exports import ExportSpec, register_export
from regcert.models import Registration
from regcert.services import regcert_export_file, registrations_for


def _file_name(params: dict[str, Any]) -> str:
    return f"registrations-{timezone.localtime():%Y%m%d-%H%M%S}.csv"


def _write(
    *,
    rows: QuerySet[Registration],
    provider: Provider,
    params: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> File[bytes]:
    return regcert_export_file(rows, progress)


REGCERT_EXPORT = register_export(
    ExportSpec(
        kind="regcert.export",
        label="Registration & Certification export",
        role=Role.DATA_EXPORT,
        also_roles=(Role.MANAGE_REGCERT,),
        scope=lambda provider: registrations_for(provider=provider),
        write=_write,
        file_name=_file_name,
    )
)
