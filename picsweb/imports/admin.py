"""The Django admin's door to every import and export.

`PipelineAdminMixin` goes before `ProviderScopedAdmin` on the admin of each model an import
writes. Each `ImportDoor` adds an "Import …" button to the change list, opening an upload
form (provider among the admin's providers, the file, the separator when the import takes
CSV, the template or sample to download) that hands the file to the pipeline's door
(`import_check_upload` through `ImportUploadForm`, then `import_start`) and sends the admin to
the job page every staff upload goes to: the same report, errors file, confirm or cancel,
background job, email and undo. Each `ExportDoor` is an admin action over the selected rows
(or all rows the change list's filters match: the admin's "select all"), through
`export_start`, so the file has the staff export's columns and is a job above
DIRECT_DOWNLOAD_LIMIT. Both act only at providers the user administers (superusers: all),
and an export takes only rows inside its spec's scope of the one provider chosen.

`tests/picsweb/test_admin_doors.py` fails when a registered import has no door here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from picsweb.access import request_access
from picsweb.errors import UserError
from picsweb.exports import ExportSpec, export_start
from picsweb.imports.forms import ImportUploadForm
from picsweb.imports.pipeline import ImportSpec, import_start
from picsweb.models import Provider, Role
from picsweb.spreadsheets import safe_csv_file

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class ImportDoor:
    """One import offered on a change list. `template_url` names the staff page's sample or
    template download (a URL name); without it the form offers a CSV of the import's columns.
    `template_hint` says where else the file comes from (an export action, a report)."""

    spec: ImportSpec
    template_url: str = ""
    template_label: str = ""
    template_hint: str = ""


def _no_params(rows: QuerySet[Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ExportDoor:
    """One export offered as an admin action. `params` gives the export's params from the
        chosen rows (raising UserError when they do not fit the export: e.g. the workbook takes
        one year group); `rows` narrows the chosen rows further as the staff page does (from the
    user, the provider, the rows and the params)."""

    spec: ExportSpec
    label: str
    params: Callable[[QuerySet[Any]], dict[str, Any]] = _no_params
    rows: Callable[[User, Provider, QuerySet[Any], dict[str, Any]], QuerySet[Any]] | None = None


def admin_providers_for(request: HttpRequest, roles: tuple[Role, ...]) -> list[Provider]:
    """The providers the admin user administers where `roles` are held (a provider admin
    holds every role at their providers; a superuser everywhere)."""
    return request_access(request).providers(Role.PROVIDER_ADMIN, *roles)


class AdminImportForm(ImportUploadForm):
    """The staff upload form with the provider to choose: the same checks at the door."""

    def __init__(self, *args: Any, spec: ImportSpec, providers: list[Provider], **kwargs: Any):
        super().__init__(*args, spec=spec, **kwargs)
        # Added here, not declared: `provider` is also the form's attribute (the provider
        # whose columns the header is checked against).
        field = forms.ModelChoiceField(
            label="Provider",
            queryset=Provider.objects.filter(pk__in=[p.pk for p in providers]),
            error_messages={
                "required": "Choose the provider the file is for.",
                "invalid_choice": "Choose one of your providers.",
            },
        )
        if len(providers) == 1:
            field.initial = providers[0].pk
            field.empty_label = None
        self.fields["provider"] = field
        self.order_fields(["provider", "file", "separator"])
        if "csv" not in spec.formats:
            del self.fields["separator"]
            self.fields["file"].help_text = f"A {' or '.join(spec.formats).upper()} file."

    def clean(self) -> dict[str, Any]:
        # The CSV's header is checked against the chosen provider's columns.
        self.provider = self.cleaned_data.get("provider")
        return super().clean()


class PipelineAdminMixin:
    """Import buttons and export actions on a ProviderScopedAdmin's change list."""

    import_doors: ClassVar[tuple[ImportDoor, ...]] = ()
    export_doors: ClassVar[tuple[ExportDoor, ...]] = ()
    change_list_template: Any = "admin/picsweb/pipeline_change_list.html"

    # Given by ModelAdmin / ProviderScopedAdmin.
    opts: Any
    admin_site: Any
    provider_path: str
    message_user: Callable[..., None]

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        mine = [
            path("import/<str:kind>/", wrap(self.import_view), name=f"{name}_import"),
            path(
                "import/<str:kind>/columns.csv",
                wrap(self.import_columns_view),
                name=f"{name}_import_columns",
            ),
        ]
        # Before Django's, whose catch-all `<path:object_id>/` would take these paths.
        return mine + super().get_urls()  # type: ignore[misc]

    def _import_door(self, request: HttpRequest, kind: str) -> tuple[ImportDoor, list[Provider]]:
        door = next((d for d in self.import_doors if d.spec.kind == kind), None)
        if door is None:
            raise Http404
        providers = admin_providers_for(request, door.spec.roles)
        if not providers:
            raise PermissionDenied
        return door, providers

    def import_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        door, providers = self._import_door(request, kind)
        spec = door.spec
        posted = request.method == "POST"
        form = AdminImportForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            spec=spec,
            providers=providers,
        )
        if posted and form.is_valid():
            job = import_start(
                spec=spec,
                owner=request.user,  # type: ignore[arg-type]
                provider=form.cleaned_data["provider"],
                upload=form.cleaned_data["file"],
                separator=form.cleaned_data.get("separator", ","),
            )
            messages.info(
                request,
                "The file is being checked in the background: this page shows the report "
                "when it is ready.",
            )
            return redirect("jobs:detail", code=job.code)
        template_url = reverse(door.template_url) if door.template_url else ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import: {spec.label}",
            "form": form,
            "spec": spec,
            "door": door,
            "template_url": template_url,
            "columns_url": "" if template_url or "csv" not in spec.formats else "columns.csv",
            "providers": providers,
            "columns": spec.columns(providers[0]) if len(providers) == 1 else [],
        }
        return TemplateResponse(
            request, "admin/picsweb/import_form.html", context, status=400 if posted else 200
        )

    def import_columns_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        """A CSV with the import's header row for one provider (the payment import's columns
        include the provider's own fields)."""
        door, providers = self._import_door(request, kind)
        code = request.GET.get("provider")
        provider = next((p for p in providers if str(p.code) == code), None)
        if code and provider is None:
            raise Http404
        with safe_csv_file([door.spec.columns(provider or providers[0])]) as content:
            response = HttpResponse(content.read(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{door.spec.kind}-columns.csv"'
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_import"
        buttons = [
            {"url": reverse(name, args=[door.spec.kind]), "label": door.spec.label}
            for door in self.import_doors
            if admin_providers_for(request, door.spec.roles)
        ]
        context = {**(extra_context or {}), "import_buttons": buttons}
        return super().changelist_view(request, context)  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)  # type: ignore[misc]
        for number, door in enumerate(self.export_doors):
            if admin_providers_for(request, door.spec.roles):
                name = f"export_{number}"
                actions[name] = (_export_action(door), name, door.label)
        return actions

    def export_chosen(
        self, request: HttpRequest, queryset: QuerySet[Any], door: ExportDoor
    ) -> HttpResponseBase | None:
        """The chosen rows (the admin's queryset: already the user's providers' rows) as the
        staff export's file, or its job; rows of one provider at a time, since an export's
        columns may be the provider's own."""
        found = list(queryset.order_by().values_list(self.provider_path, flat=True).distinct()[:2])
        if len(found) != 1:
            self.message_user(
                request,
                "Choose rows of one provider: filter the list by provider first.",
                messages.ERROR,
            )
            return None
        provider = next(
            (p for p in admin_providers_for(request, door.spec.roles) if p.pk == found[0]), None
        )
        if provider is None:
            raise PermissionDenied
        try:
            params = door.params(queryset)
        except UserError as error:
            self.message_user(request, error.message, messages.ERROR)
            return None
        rows = door.spec.scope(provider).filter(pk__in=queryset.values("pk"))
        if door.rows is not None:
            rows = door.rows(request.user, provider, rows, params)  # type: ignore[arg-type]
        return export_start(
            spec=door.spec,
            user=request.user,  # type: ignore[arg-type]
            provider=provider,
            rows=rows,
            params=params,
        )


def _export_action(door: ExportDoor) -> Callable[..., HttpResponseBase | None]:
    def action(
        model_admin: PipelineAdminMixin, request: HttpRequest, queryset: QuerySet[Any]
    ) -> HttpResponseBase | None:
        return model_admin.export_chosen(request, queryset, door)

    action.__name__ = "export_" + door.spec.kind.replace(".", "_")
    return action
