"""The Django admin, open to superusers and provider admins.

Provider admins see and edit only the rows of providers they administer: every ModelAdmin of a
provider-owned model derives from ProviderScopedAdmin, which scopes the change list, the
object pages and the choices in foreign-key fields. Imports and exports reach the admin
through picsweb.imports.admin.PipelineAdminMixin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, ManyToManyRawIdWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseForm, ModelChoiceField, ModelMultipleChoiceField, Widget
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator, capfirst

from picsweb.access import request_access
from picsweb.models import Membership, Provider, Role
from picsweb.search import search_refusal


class PicswebAdminSite(admin.AdminSite):
    site_header = "picsweb administration"
    site_title = "picsweb admin"
    index_title = "Providers, learners and lists"

    def has_permission(self, request: HttpRequest) -> bool:
        return request_access(request).may_enter_admin


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """Django's raw-ID widget labels its value through the model's default manager, so
    `?learner=<id>` on an add page would print another provider's learner; this one looks the
    value up in the form field's (provider-scoped) queryset instead."""

    def __init__(self, *args: Any, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            obj = self.queryset.get(**{key: value})
        except (ValueError, TypeError, self.queryset.model.DoesNotExist, ValidationError):
            return "", ""
        try:
            url = reverse(
                f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change",
                args=(obj.pk,),
            )
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


class _ScopedChoicesMixin:
    """Limits foreign-key and many-to-many choices to the user's providers, and opens the
    model to superusers and provider admins (not to Django's per-model permissions)."""

    def admin_providers(self, request: HttpRequest) -> QuerySet[Provider]:
        return request_access(request).scoped(Provider.objects.all(), Role.PROVIDER_ADMIN)

    def _allowed(self, request: HttpRequest) -> bool:
        return request_access(request).may_enter_admin

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def scoped_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows of `queryset` a provider admin may see: their providers' rows (by the
        `provider_path` of the model's registered admin, else a `provider` field), users who
        are members of their providers; reference data (no provider) unchanged."""
        if request.user.is_superuser:
            return queryset
        model = queryset.model
        providers = self.admin_providers(request)
        if model is Provider:
            return queryset.filter(pk__in=providers)
        if model is get_user_model():
            members = Membership.objects.filter(provider__in=providers).values("user")
            return queryset.filter(pk__in=members)
        registered = self.admin_site._registry.get(model)  # type: ignore[attr-defined]
        path = getattr(registered, "provider_path", None)
        if path is None and any(f.name == "provider" for f in model._meta.get_fields()):
            path = "provider"
        if path is None:
            return queryset
        return queryset.filter(**{f"{path}__in": providers})

    def _scope_choices(self, request: HttpRequest, field: Any) -> None:
        if field is None:
            return
        field.queryset = self.scoped_queryset(request, field.queryset)
        widget = field.widget
        if isinstance(widget, ForeignKeyRawIdWidget) and not isinstance(
            widget, ManyToManyRawIdWidget | ScopedRawIdWidget
        ):
            field.widget = ScopedRawIdWidget(
                widget.rel,
                widget.admin_site,
                attrs=widget.attrs,
                using=widget.db,
                queryset=field.queryset,
            )

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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        refusal = search_refusal(search_term)
        if refusal:
            self.message_user(request, refusal, level=messages.ERROR)
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


def _innermost(widget: Widget) -> Widget:
    """The widget itself inside the admin's wrappers (the related-object links)."""
    while isinstance(getattr(widget, "widget", None), Widget):
        widget = widget.widget  # type: ignore[attr-defined]
    return widget


def _name_fields(form: BaseForm, row: str) -> None:
    """Fields in a table's row are labelled only by their column's header, which assistive
    technology does not tie to them: each gets its name, "Episode 2: Start date" (the column's
    label inside it, WCAG 2.5.3; axe-core's rules label and select-name)."""
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        label = "Delete" if name == DELETION_FIELD_NAME else capfirst(str(field.label))
        _innermost(field.widget).attrs["aria-label"] = f"{row}: {label}"


class LabelledInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """A tabular inline whose fields are named by row and column (`_name_fields`)."""

    def add_fields(self, form: BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        noun = str(self.model._meta.verbose_name)
        _name_fields(form, f"{capfirst(noun)} {index + 1}" if index is not None else f"New {noun}")


class LabelledRowsFormSet(BaseModelFormSet):  # type: ignore[type-arg]
    """A change list's `list_editable` boxes, named by their row's object: "GCSE: Position"."""

    def add_fields(self, form: BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        instance = getattr(form, "instance", None)
        _name_fields(form, str(instance) if instance is not None and instance.pk else "New")


class LabelledListEditableMixin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For a ModelAdmin with `list_editable`: its boxes are named (LabelledRowsFormSet)."""

    def get_changelist_formset(self, request: HttpRequest, **kwargs: Any) -> Any:
        return super().get_changelist_formset(request, formset=LabelledRowsFormSet, **kwargs)


class LabelledTabularInline(admin.TabularInline):  # type: ignore[type-arg]
    """Every tabular inline of the site: its fields named for assistive technology."""

    formset = LabelledInlineFormSet


class ProviderScopedTabularInline(_ScopedChoicesMixin, LabelledTabularInline):
    extra = 0
