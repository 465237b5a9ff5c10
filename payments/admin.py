"""Admin pages for payment records. Admins upload payment files here with
django-import-export's import page, but the file goes into the same pipeline as the staff page
(background validation, the same report, confirm or cancel): no second set of rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from import_export import fields, resources
from import_export.forms import ImportForm

from learners.models import Provider, Role
from payments import columns as c
from payments.importing import PAYMENTS
from payments.models import PaymentItem, PaymentRecord, UserDefinedField
from picsweb.access import request_access
from picsweb.admin_site import PipelineImportMixin, ProviderScopedAdmin
from picsweb.imports.pipeline import import_check_upload, import_start
from picsweb.imports.reading import SEPARATORS, ImportFileError


class PaymentRecordResource(resources.ModelResource):
    """The import's columns as django-import-export shows them on its import page."""

    class Meta:
        model = PaymentRecord
        fields: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for column in c.COLUMNS:
            self.fields[column] = fields.Field(column_name=column, readonly=True)


class PaymentImportForm(ImportForm):
    provider = forms.ModelChoiceField(queryset=Provider.objects.none())
    separator = forms.ChoiceField(choices=list(SEPARATORS.items()), initial=",")


@admin.register(PaymentRecord)
class PaymentRecordAdmin(PipelineImportMixin, ProviderScopedAdmin):
    resource_classes = [PaymentRecordResource]
    import_form_class = PaymentImportForm
    list_display = [
        "internal_id",
        "episode",
        "system_type",
        "expected_date",
        "expected_amount",
        "actual_date",
        "actual_amount",
        "credit_debit",
        "status",
    ]
    list_filter = ["status", "system_type", ("payment_item", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["=internal_id", "=episode__ident", "=episode__learner__lrn"]
    list_select_related = ["episode"]
    raw_id_fields = ["episode"]
    readonly_fields = ["internal_id", "created_batch", "updated_at"]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request_access(request).has(Role.PAYMENTS_IMPORT)

    def create_import_form(self, request: HttpRequest) -> Any:
        form = super().create_import_form(request)
        form.fields["provider"].queryset = request_access(request).scoped(
            Provider.objects.all(), Role.PAYMENTS_IMPORT
        )
        return form

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The upload goes to the shared pipeline; its job page shows the report."""
        if request.method != "POST":
            return super().import_action(request, **kwargs)
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if form.is_valid():
            upload = form.cleaned_data["import_file"]
            try:
                import_check_upload(
                    spec=PAYMENTS,
                    upload=upload,
                    provider=form.cleaned_data["provider"],
                    separator=form.cleaned_data["separator"],
                )
            except ImportFileError as error:
                form.add_error("import_file", error.message)
            else:
                job = import_start(
                    spec=PAYMENTS,
                    owner=request.user,  # type: ignore[arg-type]
                    provider=form.cleaned_data["provider"],
                    upload=upload,
                    separator=form.cleaned_data["separator"],
                )
                messages.info(request, "The file is being checked in the background.")
                return redirect("jobs:detail", code=job.code)
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        context.update({"form": form, "opts": self.model._meta, "title": "Import"})
        from django.template.response import TemplateResponse

        return TemplateResponse(request, [self.import_template_name], context, status=400)


@admin.register(PaymentItem)
class PaymentItemAdmin(ProviderScopedAdmin):
    list_display = ["code", "name", "provider"]
    search_fields = ["code", "name"]


@admin.register(UserDefinedField)
class UserDefinedFieldAdmin(ProviderScopedAdmin):
    list_display = ["name", "provider"]
