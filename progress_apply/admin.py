from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from picsweb.admin_site import ProviderScopedAdmin
from progress_apply.models import CredentialAccess, PortalLearner


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


@admin.register(CredentialAccess)
class CredentialAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who viewed, downloaded or reset learners' issued passwords, and when: a record to read
    (superusers only: a download spans providers), never to change."""

    list_display = ["at", "user", "action", "learner_count", "learner"]
    list_filter = ["action"]
    date_hierarchy = "at"
    list_select_related = ["user", "learner__user"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
