from __future__ import annotations

from typing import Any

from django import forms

from ilr_exports.models import IlrExport
from ilr_exports.years import INSTALLED, YEARS, CollectionYear
from learners.models import Contract, Organisation, Provider, Site, Tag

MONITORING_LABELS = [
    "Learner A and Learning Delivery A",
    "Learner B and Learning Delivery B",
    "Learning Delivery C",
    "Learning Delivery D",
]


FILTERS = ("sites", "subcontractors", "contracts", "tags")
CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"})


class IlrExportForm(forms.Form):
    """Create: the UKPRN, optional filters (blank means no restriction) and the four
    provider monitoring choices."""

    sites = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(), required=False, widget=CHECKBOXES
    )
    subcontractors = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=CHECKBOXES
    )
    contracts = forms.ModelMultipleChoiceField(
        queryset=Contract.objects.none(), required=False, widget=CHECKBOXES
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), required=False, widget=CHECKBOXES
    )
    # The years picsweb holds a schema for, newest first; blank is the newest.
    year = forms.ChoiceField(
        label="Collection year",
        choices=[(year.code, year.label) for year in INSTALLED],
        required=False,
        initial=INSTALLED[0].code,
        error_messages={
            "invalid_choice": "picsweb holds no ILR schema for that year: choose one listed."
        },
    )

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lists = {
            "sites": Site.objects.filter(provider=provider),
            "subcontractors": Organisation.objects.filter(provider=provider, is_subcontractor=True),
            "contracts": Contract.objects.filter(provider=provider),
            "tags": Tag.objects.filter(provider=provider),
        }
        for name, queryset in lists.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
        for position, label in enumerate(MONITORING_LABELS):
            self.fields[f"monitoring_{position}"] = forms.ChoiceField(
                label=label, choices=IlrExport.Monitoring.choices, initial="as_entered"
            )

    def filters(self) -> dict[str, Any]:
        """The chosen filters as IDs, with labels for the Export List."""
        data = self.cleaned_data
        return {name: [item.pk for item in data[name]] for name in FILTERS} | {
            "labels": {name: [str(item) for item in data[name]] for name in FILTERS if data[name]}
        }

    def collection_year(self) -> CollectionYear:
        return YEARS[self.cleaned_data.get("year") or INSTALLED[0].code]

    def monitoring(self) -> list[str]:
        return [self.cleaned_data[f"monitoring_{position}"] for position in range(4)]
