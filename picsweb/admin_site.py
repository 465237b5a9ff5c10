"""The Django admin, open to superusers and provider admins.

Provider admins see and edit only the rows of providers they administer: every ModelAdmin of a
provider-owned model derives from ProviderScopedAdmin, which scopes the change list, the
object pages and the choices in foreign-key fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest

from learners.models import Provider, Role
from picsweb.access import is_admin_user


class PicswebAdminSite(admin.AdminSite):
    site_header = "picsweb administration"
    site_title = "picsweb admin"
    index_title = "Providers, learners and lists"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_admin_user(request.user)


class _ScopedChoicesMixin:
    """Limits foreign-key and many-to-many choices to the user's providers, and opens the
    model to superusers and provider admins (not to Django's per-model permissions)."""

    def admin_providers(self, request: HttpRequest) -> QuerySet[Provider]:
        return Provider.objects.with_role(request.user, Role.PROVIDER_ADMIN)

    def _allowed(self, request: HttpRequest) -> bool:
        return is_admin_user(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def _scope_choices(self, request: HttpRequest, field: Any) -> None:
        if request.user.is_superuser or field is None:
            return
        model = field.queryset.model
        if model is Provider:
            field.queryset = self.admin_providers(request)
        elif any(f.name == "provider" for f in model._meta.get_fields()):
            field.queryset = field.queryset.filter(provider__in=self.admin_providers(request))

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:  # type: ignore[type-arg]
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        self._scope_choices(request, field)
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:  # type: ignore[type-arg]
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        self._scope_choices(request, field)
        return field


class ProviderScopedAdmin(_ScopedChoicesMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin that shows provider admins only their providers' rows (superusers: all).

    `provider_path` is the ORM path from the model to its Provider.
    """

    provider_path = "provider"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.provider_path}__in": self.admin_providers(request)})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)


class ProviderScopedTabularInline(_ScopedChoicesMixin, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
