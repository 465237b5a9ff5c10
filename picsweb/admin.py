"""The core's admin page: the import history, a read-only list of applied imports (who, when,
file, counts, status) with each one's report and Undo, which call the pipeline's own
`import_undo`. A provider admin sees their providers' imports only; another's is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from picsweb.admin_site import ProviderScopedAdmin
from picsweb.errors import UserError
from picsweb.imports.admin import admin_providers_for
from picsweb.imports.pipeline import all_imports, get_import, import_undo
from picsweb.models import ImportBatch


class ImportKindFilter(admin.SimpleListFilter):
    title = "import"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(spec.kind, spec.label) for spec in all_imports()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ImportBatch]) -> Any:
        return queryset.filter(kind=self.value()) if self.value() else queryset


def _label(kind: str) -> str:
    try:
        return get_import(kind).label
    except KeyError:  # an import no longer registered
        return kind


@admin.register(ImportBatch)
class ImportBatchAdmin(ProviderScopedAdmin):
    list_display = [
        "applied_at",
        "import_label",
        "provider",
        "file_name",
        "imported_by",
        "created_count",
        "updated_count",
        "status",
        "report_link",
    ]
    list_display_links = None
    list_filter = [("provider", admin.RelatedOnlyFieldListFilter), ImportKindFilter]
    list_select_related = ["provider", "job__owner", "undone_by"]
    search_fields = ["file_name"]
    actions = None

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Import")
    def import_label(self, batch: ImportBatch) -> str:
        return _label(batch.kind)

    @admin.display(description="Imported by")
    def imported_by(self, batch: ImportBatch) -> str:
        return str(batch.job.owner) if batch.job else "the command line"

    @admin.display(description="Status")
    def status(self, batch: ImportBatch) -> str:
        if batch.undone_at:
            return f"Undone {timezone.localtime(batch.undone_at):%d/%m/%Y %H:%M}"
        return "Imported" if batch.applied_at else "Importing"

    @admin.display(description="Report")
    def report_link(self, batch: ImportBatch) -> str:
        url = reverse("admin:picsweb_importbatch_report", args=[batch.code])
        action = "Report" if batch.undone_at else "Report and Undo"
        return format_html('<a href="{}">{}</a>', url, action)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<uuid:code>/report/", wrap(self.report_view), name="picsweb_importbatch_report"),
            path(
                "<uuid:code>/undo/",
                wrap(require_POST(self.undo_view)),
                name="picsweb_importbatch_undo",
            ),
            *super().get_urls(),
        ]

    def _batch(self, request: HttpRequest, **lookup: Any) -> ImportBatch:
        """A batch of the user's providers, else 404 (not the admin's redirect)."""
        queryset = self.get_queryset(request).select_related("job__owner", "provider")
        return get_object_or_404(queryset, **lookup)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        """Another provider's batch is a 404 on every page (Django's admin would redirect to
        the index saying it does not exist)."""
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404
        return found

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            batch = self._batch(request, pk=int(object_id))
        except ValueError:
            raise Http404 from None
        return redirect("admin:picsweb_importbatch_report", code=batch.code)

    def _may_undo(self, request: HttpRequest, batch: ImportBatch) -> bool:
        try:
            roles = get_import(batch.kind).roles
        except KeyError:
            return False
        return batch.undone_at is None and any(
            p.pk == batch.provider_id for p in admin_providers_for(request, roles)
        )

    def report_view(self, request: HttpRequest, code: str) -> HttpResponse:
        batch = self._batch(request, code=code)
        job = batch.job
        report = job.report if job is not None and isinstance(job.report, dict) else {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{_label(batch.kind)}: {batch.file_name}",
            "batch": batch,
            "job": job,
            "report": report,
            "imported_by": self.imported_by(batch),
            "status": self.status(batch),
            "may_undo": self._may_undo(request, batch),
            "owns_job": job is not None and job.owner_id == request.user.pk,
        }
        return TemplateResponse(request, "admin/picsweb/import_report.html", context)

    def undo_view(self, request: HttpRequest, code: str) -> HttpResponse:
        batch = self._batch(request, code=code)
        if not self._may_undo(request, batch):
            messages.error(request, "This import cannot be undone here.")
        else:
            try:
                import_undo(batch=batch, user=request.user)  # type: ignore[arg-type]
            except UserError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    "Import undone: its new records are deleted and the values it replaced "
                    "are back.",
                )
        return redirect("admin:picsweb_importbatch_report", code=batch.code)
