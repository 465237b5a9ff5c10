"""Import learners (seed 003 §7.2-§7.4): the history of the manager's imports, the template,
the upload. The rest (validation report, errors by row, confirm, email) is the shared
pipeline's and the job pages'."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from picsweb.access import role_required
from picsweb.imports.views import import_upload
from picsweb.models import Job, Provider, Role
from picsweb.typing import AuthenticatedHttpRequest
from progress_apply.importing import COLUMNS, LEARNER_IMPORT, MANDATORY, import_template_xlsx


@role_required(Role.LEARNER_MANAGER)
def learner_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    def context(provider: Provider) -> dict[str, Any]:
        kinds = [f"{LEARNER_IMPORT.kind}.validate", f"{LEARNER_IMPORT.kind}.apply"]
        history = Job.objects.filter(owner=request.user, kind__in=kinds).order_by("-created_at")
        return {
            "history": history[:50],
            "columns": COLUMNS,
            "mandatory": MANDATORY,
        }

    return import_upload(
        request, spec=LEARNER_IMPORT, template="progress_apply/import.html", context=context
    )


@role_required(Role.LEARNER_MANAGER)
def learner_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(
        import_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="learner-import-template.xlsx"'
    return response
