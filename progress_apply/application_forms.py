"""Forms of applications and offers (progress_apply.applications holds the rules)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from picsweb.forms import GovukDateField
from picsweb.models import Provider
from progress_apply.applications import CONDITIONS_NEEDED, STATEMENT_MAX
from progress_apply.forms import PlainTextMixin
from progress_apply.models import Application, Course

CONDITIONS_MAX = 2000
TEXT_MAX = 5000  # a course's description and entry requirements


def _at_most(text: str, limit: int, what: str) -> str:
    """`text` trimmed, refused when longer than `limit`, saying by how much."""
    text = text.strip()
    if len(text) > limit:
        raise forms.ValidationError(
            f"{what} must be {limit:,} characters or fewer (there are {len(text):,})"
        )
    return text


class ApplyForm(PlainTextMixin, forms.Form):
    statement = forms.CharField(
        label="Why you are applying for this course (optional)",
        help_text=f"What interests you in it and what you would bring. Up to {STATEMENT_MAX:,} "
        "characters. The provider also reads your personal statement.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_statement(self) -> str:
        return _at_most(self.cleaned_data["statement"], STATEMENT_MAX, "Your statement")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Do you accept this offer?",
        choices=[("accept", "Yes, accept the offer"), ("decline", "No, decline the offer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept the offer"},
    )


class DecisionForm(PlainTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (Application.OfferKind.CONDITIONAL, "Make a conditional offer"),
            (Application.OfferKind.UNCONDITIONAL, "Make an unconditional offer"),
            ("unsuccessful", "Unsuccessful: no offer"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    conditions = forms.CharField(
        label="Conditions of the offer",
        help_text="For a conditional offer: what the learner must achieve, for example grades.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_conditions(self) -> str:
        return _at_most(self.cleaned_data["conditions"], CONDITIONS_MAX, "The conditions")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        conditional = data.get("decision") == Application.OfferKind.CONDITIONAL
        if conditional and not data.get("conditions") and "conditions" not in self.errors:
            self.add_error("conditions", CONDITIONS_NEEDED)  # one error at a time
        return data


class CourseForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A provider's course on the small staff page (the admin has the same fields)."""

    class Meta:
        model = Course
        fields = [
            "provider",
            "title",
            "kind",
            "qualification_type",
            "level",
            "subject",
            "study_mode",
            "start_date",
            "duration_months",
            "venue_postcode",
            "description",
            "entry_requirements",
            "is_open",
        ]
        field_classes = {"start_date": GovukDateField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "entry_requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        field.queryset = Provider.objects.filter(pk__in=[p.pk for p in providers])  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]
        self.fields["qualification_type"].empty_label = "None"  # type: ignore[attr-defined]
        field.error_messages["required"] = "Choose the provider that runs the course"
        self.fields["title"].error_messages["required"] = "Enter the course title"
        self.fields["start_date"].required = True
        self.fields["duration_months"].error_messages = {
            "required": "Enter the duration in months",
            "invalid": "Enter the duration as a whole number of months",
            "min_value": "Enter a duration from 1 to 120 months",
        }
        for name in ("description", "entry_requirements"):
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX))
            self.fields[name].error_messages["max_length"] = (
                f"{self.fields[name].label} must be {TEXT_MAX:,} characters or fewer"
            )

    def clean_start_date(self) -> date:
        start: date = self.cleaned_data["start_date"]
        today = date.today()
        if not today.replace(year=today.year - 1) <= start <= today.replace(year=today.year + 5):
            raise forms.ValidationError("Enter a start date from a year ago to five years ahead")
        return start

    def clean_venue_postcode(self) -> str:
        from learners.identifiers import normalise_postcode, postcode_problem
        from learners.reference_data import outcode_centroids

        postcode = normalise_postcode(self.cleaned_data["venue_postcode"])
        problem = postcode_problem(postcode)
        if problem:
            raise forms.ValidationError(problem)
        if postcode.split(" ")[0] not in outcode_centroids():
            raise forms.ValidationError(
                "We do not know where this postcode district is, so learners could not find "
                "the course by distance: check the postcode"
            )
        return postcode

    def clean_duration_months(self) -> int:
        months: int = self.cleaned_data["duration_months"]
        if not 1 <= months <= 120:
            raise forms.ValidationError("Enter a duration from 1 to 120 months")
        return months
