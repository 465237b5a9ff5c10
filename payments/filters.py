from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from payments.models import PaymentItem, PaymentRecord
from picsweb.forms import date_filter_options, date_range_form
from picsweb.search import validate_search


class PaymentReportFilter(django_filters.FilterSet):
    learner = django_filters.CharFilter(
        method="filter_learner", label="Learner (LRN or name)", validators=[validate_search]
    )
    ident = django_filters.CharFilter(
        field_name="episode__ident", label="Episode IDENT", validators=[validate_search]
    )
    date_from = django_filters.DateFilter(
        method="filter_from", **date_filter_options("Payment date from")
    )
    date_to = django_filters.DateFilter(
        method="filter_to", **date_filter_options("Payment date to")
    )
    status = django_filters.ChoiceFilter(
        choices=PaymentRecord.Status.choices, label="Payment status", empty_label="Any"
    )
    item = django_filters.ChoiceFilter(
        field_name="payment_item_id", label="Payment item", empty_label="Any"
    )

    class Meta:
        model = PaymentRecord
        fields: list[str] = []
        form = date_range_form("date_from", "date_to", "payment date")

    def __init__(self, data: Any, queryset: QuerySet[PaymentRecord], provider: Any) -> None:
        super().__init__(data, queryset=queryset)
        items = PaymentItem.objects.filter(provider=provider).values_list("id", "code")
        self.filters["item"].extra["choices"] = list(items)

    def filter_learner(self, queryset: QuerySet[PaymentRecord], name: str, value: str):  # type: ignore[no-untyped-def]
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(episode__learner__lrn=value)
            | Q(episode__learner__family_name__istartswith=value)
            | Q(episode__learner__given_names__istartswith=value)
        )

    def filter_from(self, queryset: QuerySet[PaymentRecord], name: str, value: Any):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(expected_date__gte=value) | Q(actual_date__gte=value))

    def filter_to(self, queryset: QuerySet[PaymentRecord], name: str, value: Any):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(expected_date__lte=value) | Q(actual_date__lte=value))
