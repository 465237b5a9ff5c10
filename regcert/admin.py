from django.contrib import admin

from picsweb.admin_site import ProviderScopedAdmin
from picsweb.imports.admin import ExportDoor, ImportDoor, PipelineAdminMixin
from regcert.exporting import REGCERT_EXPORT
from regcert.importing import REGCERT
from regcert.models import Registration


@admin.register(Registration)
class RegistrationAdmin(PipelineAdminMixin, ProviderScopedAdmin):
    provider_path = "learner__provider"
    import_doors = (
        ImportDoor(
            spec=REGCERT,
            template_url="regcert:sample",
            template_label="Download Sample File (CSV)",
            template_hint="The Registration & Certification export (the action on this list) "
            "imports again unchanged.",
        ),
    )
    export_doors = (
        ExportDoor(spec=REGCERT_EXPORT, label="Export as the Registration & Certification file"),
    )
    list_display = ["learner", "qualification_number", "status", "registration_number"]
    list_filter = [("learner__provider", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = [
        "=learner__uln",
        "=learner__lrn",
        "=qualification_number",
        "=registration_number",
    ]
    raw_id_fields = ["learner"]
    readonly_fields = ["created_batch", "updated_at"]
