from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from learners.filters import learner_search
from learners.models import LearningDelivery
from picsweb.forms import date_filter_options, date_range_form
from picsweb.search import validate_search
from regcert.models import Registration


class RegistrationFilter(django_filters.FilterSet):
    learner = django_filters.CharFilter(
        method="filter_learner", label="Learner (name, LRN, ULN)", validators=[validate_search]
    )
    status = django_filters.ChoiceFilter(
        choices=Registration.Status.choices, label="Status", empty_label="Any"
    )
    awarding_organisation = django_filters.CharFilter(
        method="filter_awarding", label="Awarding organisation", validators=[validate_search]
    )
    qualification = django_filters.CharFilter(
        field_name="qualification_number",
        label="Qualification number",
        validators=[validate_search],
    )
    registered_from = django_filters.DateFilter(
        field_name="registration_date", lookup_expr="gte", **date_filter_options("Registered from")
    )
    registered_to = django_filters.DateFilter(
        field_name="registration_date", lookup_expr="lte", **date_filter_options("Registered to")
    )

    class Meta:
        model = Registration
        fields: list[str] = []
        form = date_range_form("registered_from", "registered_to", "registration")

    def filter_learner(self, queryset: QuerySet[Registration], name: str, value: str) -> Any:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(learner_search(value, "learner__"))

    def filter_awarding(self, queryset: QuerySet[Registration], name: str, value: str) -> Any:
        aims = LearningDelivery.objects.filter(
            learner=OuterRef("learner"),
            aim_ref=OuterRef("qualification_number"),
            awarding_organisation__icontains=value.strip(),
        )
        return queryset.filter(Exists(aims))
