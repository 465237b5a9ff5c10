"""The Learner Import page (`/learners/import/`) and its template download: the shared
pipeline's upload view, with this import's Tips."""

from __future__ import annotations

import io

from django.http import HttpResponse

from learners.columns import COLUMNS, READ_ONLY_COLUMNS
from learners.importing import LEARNERS_IMPORT, learner_template_rows
from learners.models import EmploymentStatus, Learner
from picsweb.access import role_required
from picsweb.imports.views import import_upload
from picsweb.spreadsheets import SafeCsvWriter
from picsweb.typing import AuthenticatedHttpRequest


@role_required(*LEARNERS_IMPORT.roles)
def learner_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return import_upload(
        request,
        spec=LEARNERS_IMPORT,
        template="learners/import.html",
        context=lambda provider: {
            "providers": request.access.providers(*LEARNERS_IMPORT.roles),
            "columns": COLUMNS,
            "read_only": list(READ_ONLY_COLUMNS),
            "ethnicities": Learner.Ethnicity.choices,
            "statuses": EmploymentStatus.Status.choices,
        },
    )


@role_required(*LEARNERS_IMPORT.roles)
def learner_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header and one example row, formula-safe (picsweb.spreadsheets)."""
    out = io.StringIO()
    SafeCsvWriter(out).writerows(learner_template_rows())
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="learner-import-template.csv"'
    return response
