from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.http import HttpRequest

from learners.importing import LEARNERS_IMPORT
from learners.jobs import CSV_EXPORT
from learners.models import (
    Contract,
    EmploymentStatus,
    Episode,
    Learner,
    LearnerFAM,
    LearnerLLDD,
    LearningDelivery,
    Membership,
    Officer,
    Organisation,
    Provider,
    Site,
    Standard,
    Tag,
)
from picsweb.admin_site import (
    LabelledTabularInline,
    ProviderScopedAdmin,
    ProviderScopedTabularInline,
)
from picsweb.forms import ModelErrorsShownMixin
from picsweb.imports.admin import ExportDoor, ImportDoor, PipelineAdminMixin

related_only = admin.RelatedOnlyFieldListFilter
ADMIN_REASON = "Changed in the administration"


class HistoryReasonAdmin(ProviderScopedAdmin):
    """Its saves, and its inlines', say in the learner's history that the admin made them
    (the user comes from simple-history's request middleware)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj._change_reason = ADMIN_REASON
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            inline_form.instance._change_reason = ADMIN_REASON
        super().save_formset(request, form, formset, change)


@admin.register(Provider)
class ProviderAdmin(ProviderScopedAdmin):
    provider_path = "id"
    list_display = ["name", "ukprn"]
    search_fields = ["name", "ukprn"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(ProviderScopedAdmin):
    list_display = ["user", "provider", "role"]
    list_filter = ["role", ("provider", related_only)]
    search_fields = ["user__username", "user__email", "provider__ukprn"]
    raw_id_fields = ["user"]


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 1


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PicswebUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Users are managed by superusers; provider admins manage memberships of their provider."""

    inlines = [MembershipInline]
    # Plain lists, not the two-box widget (its script breaks ARIA: see LearnerAdmin.tags).
    filter_horizontal = ()


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class PicswebGroupAdmin(GroupAdmin):
    filter_horizontal = ()


@admin.register(Site)
class SiteAdmin(ProviderScopedAdmin):
    list_display = ["name", "code", "postcode", "provider"]
    list_filter = [("provider", related_only)]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(ProviderScopedAdmin):
    list_display = ["name", "pics_id", "is_employer", "is_subcontractor", "ern", "provider"]
    list_filter = ["is_employer", "is_subcontractor", ("provider", related_only)]
    search_fields = ["name", "pics_id", "ern"]


@admin.register(Contract)
class ContractAdmin(ProviderScopedAdmin):
    list_display = [
        "reference",
        "name",
        "include_in_ilr_exports",
        "fund_model",
        "contract_type",
        "provider",
    ]
    list_filter = [
        "include_in_ilr_exports",
        "fund_model",
        "contract_type",
        ("provider", related_only),
    ]
    search_fields = ["reference", "name"]


@admin.register(Tag)
class TagAdmin(ProviderScopedAdmin):
    list_display = ["name", "provider"]
    list_filter = [("provider", related_only)]
    search_fields = ["name"]


@admin.register(Officer)
class OfficerAdmin(ProviderScopedAdmin):
    list_display = ["name", "code", "provider"]
    list_filter = [("provider", related_only)]
    search_fields = ["name", "code"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data from LARS: superusers only."""

    list_display = ["lars_code", "ifate_reference", "title", "level", "status"]
    list_filter = ["level", "status"]
    search_fields = ["=lars_code", "ifate_reference", "title"]


class EpisodeInline(ProviderScopedTabularInline):
    model = Episode
    fields = ["ident", "start_date", "end_date"]
    show_change_link = True


class EmploymentStatusInline(ProviderScopedTabularInline):
    model = EmploymentStatus
    fields = ["date_applies", "status", "employer", "as_agreement_id"]


class LearnerLLDDInline(ProviderScopedTabularInline):
    model = LearnerLLDD
    fields = ["category", "primary"]
    extra = 0
    max_num = 22  # the ILR's LLDDandHealthProblem maxOccurs


class LearnerFAMInline(ProviderScopedTabularInline):
    model = LearnerFAM
    fields = ["fam_type", "fam_code"]
    extra = 0
    max_num = 17  # the ILR's LearnerFAM maxOccurs


@admin.register(Learner)
class LearnerAdmin(PipelineAdminMixin, HistoryReasonAdmin):
    # The Learner Import and the learner CSV through the one pipeline (picsweb.imports.admin).
    import_doors = (
        ImportDoor(
            spec=LEARNERS_IMPORT,
            template_url="learners:import-template",
            template_label="Download the template (CSV)",
            template_hint="The learner CSV (the export action on this list, or Download "
            "selected as CSV on the learner list) imports again unchanged.",
        ),
    )
    export_doors = (ExportDoor(spec=CSV_EXPORT, label="Export as the learner CSV"),)
    list_display = ["lrn", "family_name", "given_names", "uln", "state", "as_status", "provider"]
    list_filter = [
        "state",
        "as_status",
        ("provider", related_only),
        ("site", related_only),
        ("main_officer", related_only),
        ("tags", related_only),
    ]
    search_fields = ["=lrn", "=uln", "family_name", "given_names", "email"]
    list_select_related = ["provider"]
    show_full_result_count = False
    readonly_fields = ["code", "created_at", "updated_at"]
    # Tick boxes, not the admin's two-box "filter_horizontal" (whose script names a <span>
    # with aria-label, which ARIA forbids: axe-core's aria-prohibited-attr).
    formfield_overrides = {models.ManyToManyField: {"widget": CheckboxSelectMultiple}}
    inlines = [EpisodeInline, EmploymentStatusInline, LearnerLLDDInline, LearnerFAMInline]
    fieldsets = [
        (
            None,
            {"fields": ["provider", "code", "lrn", "uln", "upn", "ni_number", "pics_id", "state"]},
        ),
        (
            "Personal details",
            {
                "fields": [
                    "title",
                    "given_names",
                    "family_name",
                    "date_of_birth",
                    "sex",
                    "ethnicity",
                    "lldd_health_problem",
                ]
            },
        ),
        (
            "Contact",
            {
                "fields": [
                    "email",
                    "phone",
                    "address_line_1",
                    "address_line_2",
                    "town",
                    "county",
                    "postcode",
                    "postcode_prior",
                ]
            },
        ),
        (
            "Provider",
            {
                "fields": [
                    "site",
                    "main_officer",
                    "tags",
                    "provider_monitoring_a",
                    "provider_monitoring_b",
                    "qa_verified",
                ]
            },
        ),
        (
            "ILR: prior attainment",
            {
                "fields": ["prior_level", "prior_level_date"],
                "description": "LLDD categories and learner FAMs are listed below.",
            },
        ),
        ("Apprenticeship Service", {"fields": ["as_cohort_code", "as_status"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]


class LearningDeliveryForm(ModelErrorsShownMixin, forms.ModelForm):  # type: ignore[type-arg]
    """An aim's fields, some of them only: LearningDelivery.clean's errors on the others are
    shown at the top of the row (picsweb.forms.ModelErrorsShownMixin)."""

    class Meta:
        model = LearningDelivery
        # The admin narrows these to each page's own fields.
        fields = [
            f.name
            for f in LearningDelivery._meta.concrete_fields
            if f.editable and not f.primary_key
        ]


class LearningDeliveryInline(ProviderScopedTabularInline):
    model = LearningDelivery
    form = LearningDeliveryForm
    fields = [
        "aim_ref",
        "aim_type",
        "standard",
        "start_date",
        "planned_end_date",
        "actual_end_date",
        "completion_status",
        "withdraw_reason",
        "outcome",
        "fund_model",
        "contract",
        "contract_type",
        "subcontractor",
    ]
    raw_id_fields = ["standard"]
    show_change_link = True


@admin.register(Episode)
class EpisodeAdmin(HistoryReasonAdmin):
    list_display = ["ident", "learner", "start_date", "end_date", "provider"]
    search_fields = ["=ident", "=learner__lrn", "learner__family_name"]
    list_filter = [("provider", related_only)]
    list_select_related = ["learner"]
    raw_id_fields = ["learner"]
    inlines = [LearningDeliveryInline]


@admin.register(LearningDelivery)
class LearningDeliveryAdmin(HistoryReasonAdmin):
    provider_path = "episode__provider"
    list_display = ["aim_ref", "aim_type", "standard", "episode", "start_date", "completion_status"]
    list_filter = [
        "aim_type",
        "completion_status",
        "fund_model",
        ("contract", related_only),
        ("subcontractor", related_only),
    ]
    search_fields = ["=aim_ref", "=episode__ident", "=episode__learner__lrn"]
    list_select_related = ["episode", "standard"]
    raw_id_fields = ["episode", "standard"]
    form = LearningDeliveryForm
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "episode",
                    "aim_ref",
                    "aim_type",
                    "standard",
                    "programme_name",
                    "qualification_name",
                    "awarding_organisation",
                    "start_date",
                    "planned_end_date",
                    "delivery_postcode",
                    "subcontractor",
                    "qualification_plan_code",
                ]
            },
        ),
        (
            "Funding",
            {
                "fields": [
                    "contract",
                    "fund_model",
                    "contract_type",
                    "contract_type_from",
                    "contract_type_to",
                    "training_price",
                    "epa_price",
                    "rpl",
                    "rpl_training_total_hours",
                    "rpl_training_hours_reduction",
                    "rpl_price_reduced_by",
                ]
            },
        ),
        (
            "Completion",
            {
                "fields": [
                    "completion_status",
                    "actual_end_date",
                    "withdraw_reason",
                    "outcome",
                    "achievement_date",
                    "epa_org_id",
                ]
            },
        ),
        (
            "Provider monitoring",
            {
                "fields": [
                    "delivery_monitoring_a",
                    "delivery_monitoring_b",
                    "delivery_monitoring_c",
                    "delivery_monitoring_d",
                ]
            },
        ),
    ]


@admin.register(EmploymentStatus)
class EmploymentStatusAdmin(HistoryReasonAdmin):
    provider_path = "learner__provider"
    list_display = ["learner", "date_applies", "status", "employer", "as_agreement_id"]
    list_filter = ["status", ("employer", related_only)]
    search_fields = ["=learner__lrn", "=as_agreement_id", "employer__name"]
    list_select_related = ["learner", "employer"]
    raw_id_fields = ["learner"]
