from django.contrib import admin

from picsweb.admin_site import ProviderScopedAdmin
from regcert.models import Registration


@admin.register(Registration)
class RegistrationAdmin(ProviderScopedAdmin):
    provider_path = "learner__provider"
    list_display = ["learner", "qualification_number", "status", "registration_number"]
    list_filter = ["status"]
    search_fields = [
        "=learner__uln",
        "=learner__lrn",
        "=qualification_number",
        "=registration_number",
    ]
    raw_id_fields = ["learner"]
    readonly_fields = ["created_batch", "updated_at"]
