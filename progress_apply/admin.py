from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from picsweb.admin_site import LabelledListEditableMixin, ProviderScopedAdmin
from picsweb.errors import UserError
from picsweb.imports.admin import ExportDoor, ImportDoor, PipelineAdminMixin
from picsweb.models import Membership, Provider, Role
from progress_apply.importing import LEARNER_IMPORT
from progress_apply.models import (
    Course,
    CredentialAccess,
    LearnerGroup,
    PortalLearner,
    PortalSettings,
    QualificationGrade,
    QualificationSubject,
    QualificationType,
)
from progress_apply.qualification_workbook import (
    QUALIFICATION_EXPORT,
    QUALIFICATION_IMPORT,
    export_learners,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _workbook_params(rows: QuerySet[PortalLearner]) -> dict[str, Any]:
    """A workbook is of one year group (its file name, as on the staff page)."""
    years = list(rows.order_by().values_list("year_group", flat=True).distinct()[:2])
    if len(years) != 1:
        raise UserError("Choose learners of one year group: filter the list by year group first.")
    return {"year_group": years[0]}


def _workbook_rows(
    user: User, provider: Provider, rows: QuerySet[PortalLearner], params: dict[str, Any]
) -> QuerySet[PortalLearner]:
    """The chosen learners the staff workbook would hold: those whose qualifications a
    manager adds (R50)."""
    year = params["year_group"]
    return export_learners(user=user, provider=provider, year_group=year).filter(
        pk__in=rows.values("pk")
    )


@admin.register(PortalLearner)
class PortalLearnerAdmin(PipelineAdminMixin, ProviderScopedAdmin):
    """Portal learners, read and corrected by admins; issued passwords never shown. Both
    portal imports write here (the workbook's rows are learners, each row replacing that
    learner's qualifications), and the workbook's export acts on learners."""

    import_doors = (
        ImportDoor(
            spec=LEARNER_IMPORT,
            template_url="progress_apply:import-template",
            template_label="Download the template (XLSX)",
        ),
        ImportDoor(
            spec=QUALIFICATION_IMPORT,
            template_hint="The workbook to fill in is made by the action 'Export the "
            "qualifications workbook' on this list (learners of one year group).",
        ),
    )
    export_doors = (
        ExportDoor(
            spec=QUALIFICATION_EXPORT,
            label="Export the qualifications workbook (one year group)",
            params=_workbook_params,
            rows=_workbook_rows,
        ),
    )
    list_display = ["user", "provider", "year_group", "locked_at", "created_at"]
    list_filter = [("provider", admin.RelatedOnlyFieldListFilter), "year_group"]
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


@admin.register(QualificationType)
class QualificationTypeAdmin(LabelledListEditableMixin):
    """Reference data (progress_apply/data): superusers only."""

    list_display = ["name", "level", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(QualificationSubject)
class QualificationSubjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "type"]
    list_filter = ["type"]
    search_fields = ["name"]
    list_select_related = ["type"]


@admin.register(QualificationGrade)
class QualificationGradeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["grade", "rank", "type"]
    list_filter = ["type"]
    list_select_related = ["type"]


@admin.register(PortalSettings)
class PortalSettingsAdmin(ProviderScopedAdmin):
    list_display = ["provider", "sign_off_profiles", "manager_adds_qualifications", "referee_name"]


@admin.register(LearnerGroup)
class LearnerGroupAdmin(ProviderScopedAdmin):
    list_display = ["name", "provider", "year_group"]
    list_filter = ["year_group"]
    search_fields = ["name"]
    raw_id_fields = ["learners"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "managers" and field is not None:
            # Only learner managers of the admin's providers (users have no provider field).
            holders = Membership.objects.filter(
                provider__in=self.admin_providers(request),
                role__in=[Role.LEARNER_MANAGER, Role.PROVIDER_ADMIN],
            )
            field.queryset = (
                get_user_model()
                .objects.filter(pk__in=holders.values("user_id"))
                .order_by("username")
            )
        return field


@admin.register(Course)
class CourseAdmin(ProviderScopedAdmin):
    list_display = [
        "title",
        "provider",
        "kind",
        "study_mode",
        "start_date",
        "venue_postcode",
        "is_open",
    ]
    list_filter = ["kind", "study_mode", "is_open"]
    search_fields = ["title", "subject"]
    raw_id_fields = ["standard"]
    readonly_fields = ["latitude", "longitude"]
