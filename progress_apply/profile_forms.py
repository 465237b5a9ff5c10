"""Forms of the learner's profile (seed §5.2, §5.4-5.6, §8). The rules are those of
progress_apply.rules and progress_apply.profiles; the forms map fields to them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User

from picsweb.forms import NamedErrorsMixin
from progress_apply import profiles, rules
from progress_apply.forms import REQUIRED_MESSAGES, PlainTextMixin, _rule, _text
from progress_apply.models import (
    REFERENCE_RATINGS,
    Course,
    Ethnicity,
    Gender,
    LearnerGroup,
    PortalSettings,
    ProviderDefault,
    QualificationGrade,
    QualificationSubject,
    QualificationType,
    Rating,
    Reference,
    YearGroup,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
COMPLETION_DATE = "Enter the completion date as a month and year, for example 6 2026"


class PersonalSectionForm(PlainTextMixin, forms.Form):
    """The learner's Personal details section: how to reach them and who they are."""

    email = _text("Email address", max_length=254)
    telephone = _text("Telephone number", max_length=20, too_long=rules.TELEPHONE)
    house = _text("House name or number")
    street = _text("Street")
    locality = _text("Locality")
    town = _text("Town")
    postcode = _text("Postcode", max_length=20, too_long=rules.POSTCODE)
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, required=False, widget=forms.RadioSelect
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group", choices=Ethnicity.choices, required=False, widget=forms.RadioSelect
    )

    FIELDS = ("telephone", "house", "street", "locality", "town", "postcode", "gender", "ethnicity")

    def clean_email(self) -> str:
        return _rule(self, "email", rules.email)

    def clean_telephone(self) -> str:
        return _rule(self, "telephone", rules.telephone)

    def clean_postcode(self) -> str:
        return _rule(self, "postcode", rules.postcode)

    def learner_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: (data.get(name) or "").strip() for name in self.FIELDS}


class StatementForm(PlainTextMixin, forms.Form):
    personal_statement = forms.CharField(
        label="Your personal statement",
        help_text=f"Why you want to study the courses you apply for, what you have done and "
        f"what you enjoy. Up to {profiles.STATEMENT_MAX:,} characters.",
        required=False,
        max_length=profiles.STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"max_length": profiles.STATEMENT_TOO_LONG},
    )


class QualificationTypeForm(PlainTextMixin, forms.Form):
    """S15: the qualification type first, so the next page offers only its subjects."""

    type = forms.ModelChoiceField(
        label="Qualification type",
        queryset=QualificationType.objects.all(),
        empty_label="Choose a qualification type",
        error_messages={
            "required": profiles.TYPE_NEEDED,
            "invalid_choice": profiles.TYPE_NEEDED,
        },
    )


class QualificationForm(PlainTextMixin, forms.Form):
    """S16: subject of the chosen type, completion month, predicted and/or actual grade."""

    subject = forms.ModelChoiceField(
        label="Subject",
        queryset=QualificationSubject.objects.none(),
        empty_label="Choose a subject",
        error_messages={**REQUIRED_MESSAGES, "invalid_choice": profiles.SUBJECT_NOT_OF_TYPE},
    )
    completed_month = forms.CharField(label="Month", required=False)
    completed_year = forms.CharField(label="Year", required=False)
    predicted_grade = forms.ModelChoiceField(
        label="Predicted grade",
        queryset=QualificationGrade.objects.none(),
        required=False,
        empty_label="No predicted grade",
        error_messages={"invalid_choice": profiles.GRADE_NOT_OF_TYPE},
    )
    actual_grade = forms.ModelChoiceField(
        label="Actual grade",
        queryset=QualificationGrade.objects.none(),
        required=False,
        empty_label="No actual grade yet",
        error_messages={"invalid_choice": profiles.GRADE_NOT_OF_TYPE},
    )

    def __init__(self, *args: Any, qualification_type: QualificationType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.qualification_type = qualification_type
        for name, queryset in (
            ("subject", qualification_type.subjects.all()),
            ("predicted_grade", qualification_type.grades.all()),
            ("actual_grade", qualification_type.grades.all()),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month = str(data.get("completed_month") or "").strip()
        year = str(data.get("completed_year") or "").strip()
        completed_on = None
        if month or year:
            latest = profiles.latest_completion_year()
            if not (month.isdigit() and 1 <= int(month) <= 12):
                self.add_error("completed_month", COMPLETION_DATE)
            elif not (year.isdigit() and profiles.EARLIEST_COMPLETION <= int(year) <= latest):
                self.add_error("completed_year", profiles.completion_year_message())
            else:
                completed_on = date(int(year), int(month), 1)
        if self.errors or "subject" not in data:
            return data
        values = profiles.QualificationValues(
            type=self.qualification_type,
            subject=data["subject"],
            completed_on=completed_on,
            predicted_grade=data.get("predicted_grade"),
            actual_grade=data.get("actual_grade"),
        )
        for field, message in profiles.qualification_problems(values).items():
            self.add_error(field, message)
        data["values"] = values
        return data


class ReferenceForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """S17: the reference template. 'Complete reference details' asks for every answer."""

    display_to_learner = forms.TypedChoiceField(
        label="Display to learner",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )
    rating_details = forms.CharField(
        label="If any are below average, please provide further details",
        required=False,
        max_length=profiles.REFERENCE_DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": profiles.REFERENCE_DETAILS_TOO_LONG},
    )
    support_details = forms.CharField(
        label="Details of the additional support required",
        required=False,
        max_length=profiles.REFERENCE_DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": profiles.REFERENCE_DETAILS_TOO_LONG},
    )
    support_required = forms.TypedChoiceField(
        label="Additional support required",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Reference
        fields = [
            "display_to_learner",
            "attendance",
            *REFERENCE_RATINGS,
            "rating_details",
            "support_required",
            "support_details",
        ]
        widgets = {
            **{name: forms.RadioSelect(choices=Rating.choices) for name in REFERENCE_RATINGS},
        }
        error_messages = {
            "attendance": {
                key: profiles.ATTENDANCE for key in ("invalid", "min_value", "max_value")
            }
        }

    def __init__(self, *args: Any, completing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.completing = completing
        for name in REFERENCE_RATINGS:
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = Rating.choices  # no empty choice among the radios
        if not self.is_bound:  # the radios' values, not the model's booleans (No by default)
            self.initial["display_to_learner"] = "yes" if self.instance.display_to_learner else "no"
            if self.instance.support_required is not None:
                self.initial["support_required"] = "yes" if self.instance.support_required else "no"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for name, value in data.items():
            setattr(self.instance, name, value)
        for field, message in profiles.reference_problems(
            self.instance, completing=self.completing
        ).items():
            self.add_error(field, message)
        return data


class RefereeForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """S18: a referee for this learner instead of the provider's."""

    class Meta:
        model = Reference
        fields = ["referee_name", "referee_position", "referee_telephone", "referee_email"]

    def clean_referee_name(self) -> str:
        return _rule(self, "referee_name", rules.required)

    def clean_referee_telephone(self) -> str:
        return _rule(self, "referee_telephone", rules.telephone)


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class ProviderSettingsForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The Provider Manager's defaults and the provider's default referee."""

    sign_off_profiles = _yes_no(
        "Sign off learners' profiles?",
        "Applications wait until a learner manager approves the learner's profile.",
    )
    manager_adds_qualifications = _yes_no(
        "Learners cannot add qualifications",
        "Learner managers add the learners' qualifications for them.",
    )

    class Meta:
        model = PortalSettings
        fields = [
            "sign_off_profiles",
            "manager_adds_qualifications",
            "referee_name",
            "referee_position",
            "referee_telephone",
            "referee_email",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            for name in ("sign_off_profiles", "manager_adds_qualifications"):
                self.initial[name] = "yes" if getattr(self.instance, name) else "no"

    def clean_referee_telephone(self) -> str:
        return _rule(self, "referee_telephone", rules.telephone)


LEAVE = ("", "Leave as it is")


class _GroupChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        """Groups of several providers may share a name: the provider tells them apart."""
        return f"{obj.name} ({obj.provider.name})"


class BulkSettingsForm(PlainTextMixin, forms.Form):
    """Apply either setting to a learner group, a whole year group, or a group's learners
    of one year group at once (R24)."""

    group = _GroupChoice(
        label="Learner group",
        queryset=LearnerGroup.objects.none(),
        required=False,
        empty_label="No learner group: a whole year group",
        to_field_name="code",
    )
    year_group = forms.TypedChoiceField(
        label="Learner year group",
        help_text="With a learner group: only the group's learners in this year group.",
        choices=[("", "Choose a year group"), *YearGroup.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    sign_off_profile = forms.ChoiceField(
        label="Sign off learner's profile?",
        choices=[LEAVE, *ProviderDefault.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    manager_adds_qualifications = forms.ChoiceField(
        label="Add qualifications on behalf of the learners?",
        choices=[LEAVE, *ProviderDefault.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = groups.order_by("provider__name", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("group") and not data.get("year_group"):
            self.add_error("group", "Choose a learner group or a year group")
        if not data.get("sign_off_profile") and not data.get("manager_adds_qualifications"):
            self.add_error("sign_off_profile", "Choose a setting to change")
        return data


GROUP_NAME_TAKEN = "This provider has a learner group of this name already"


class LearnerGroupForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LearnerGroup
        fields = ["name", "year_group"]

    def __init__(self, *args: Any, provider: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.provider = provider

    def clean_name(self) -> str:
        name = _rule(self, "name", rules.required)
        taken = LearnerGroup.objects.filter(provider=self.instance.provider, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(GROUP_NAME_TAKEN)
        return name


class _ManagerChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.get_username()} ({obj.get_username()})"


class LearnerGroupEditForm(LearnerGroupForm):
    """The group's name and year group, and its learner managers: each one chosen sees only
    the learners of their groups at this provider (R2)."""

    managers = _ManagerChoice(
        label="Learner managers of this group",
        help_text="A learner manager chosen here sees only the learners of their groups. Keep "
        "at least one learner manager in no group, to see every learner and fill the groups.",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(LearnerGroupForm.Meta):
        fields = ["name", "year_group", "managers"]

    def __init__(self, *args: Any, provider: Any, **kwargs: Any) -> None:
        super().__init__(*args, provider=provider, **kwargs)
        field = self.fields["managers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = profiles.group_manager_choices(provider)


DISTANCE_CHOICES = [
    *[(str(m), f"{m} miles") for m in (5, 10, 15, 25, 50)],
    ("any", "Any distance"),
]


class CourseSearchForm(NamedErrorsMixin, PlainTextMixin, forms.Form):
    """The learner's course search: every field optional; the location defaults to the
    learner's own postcode."""

    q = forms.CharField(label="Keyword", required=False, max_length=100)
    location = forms.CharField(
        label="Location",
        required=False,
        max_length=60,
        help_text="A postcode or a town, for example LS6 2AB or Leeds",
    )
    distance = forms.ChoiceField(
        label="Distance you are willing to travel", choices=DISTANCE_CHOICES, required=False
    )
    kind = forms.ChoiceField(
        label="Type of course",
        choices=[("", "Any"), *Course.Kind.choices],
        required=False,
    )
    qualification_type = forms.ModelChoiceField(
        label="Qualification",
        queryset=QualificationType.objects.all(),
        required=False,
        empty_label="Any",
    )
    level = forms.ChoiceField(
        label="Level",
        choices=[
            ("", "Any"),
            ("entry", "Entry level"),
            *[(str(n), f"Level {n}") for n in range(1, 9)],
        ],
        required=False,
    )
    study_mode = forms.ChoiceField(
        label="Study mode", choices=[("", "Any"), *Course.StudyMode.choices], required=False
    )
    start_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    start_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, year = data.get("start_month"), data.get("start_year")
        data["start_after"] = None
        if month and year:
            data["start_after"] = date(year, month, 1)
        elif month or year:
            self.add_error("start_month", "Enter a month and a year, for example 9 2026")
        return data
