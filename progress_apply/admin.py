from django.contrib import admin

from picsweb.admin_site import ProviderScopedAdmin
from progress_apply.models import PortalLearner


@admin.register(PortalLearner)
class PortalLearnerAdmin(ProviderScopedAdmin):
    """Portal learners, read and corrected by admins; issued passwords never shown."""

    list_display = ["user", "provider", "year_group", "locked_at", "created_at"]
    list_filter = ["year_group"]
    search_fields = ["=user__username", "user__last_name", "=uln"]
    raw_id_fields = ["user"]
    exclude = ["issued_password"]
    readonly_fields = [
        "must_change_password",
        "locked_at",
        "created_by",
        "created_batch",
        "created_at",
        "updated_at",
    ]
