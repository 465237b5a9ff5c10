"""The learner record's forms: the ILR learner details, an employment status, a learning aim,
and New Learner (all three at once).

Each rule is the one the exports apply (learners.identifiers for identifiers, the AS rules of
learners.as_cohort), so a record a form accepts is never left out of an export for a rule the
form could have checked. What a form cannot demand (an email not yet known, a price not yet
agreed) the record's "Ready for …" panel lists instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from learners import as_cohort, identifiers
from learners.models import (
    Contract,
    EmploymentStatus,
    Learner,
    LearningDelivery,
    Officer,
    Organisation,
    Provider,
    Site,
    Standard,
    agreement_status_problem,
    date_of_birth_problem,
)
from learners.record import AIM_FORM_FIELDS, LEARNER_FORM_FIELDS
from picsweb.forms import GovukDateField, PlainTextMixin

REQUIRED = {
    "lrn": "Enter the learner reference number",
    "given_names": "Enter the given names",
    "family_name": "Enter the family name",
    "date_applies": "Enter the date the status applies from",
    "status": "Choose the employment status",
    "start_date": "Enter the start date",
    "planned_end_date": "Enter the planned end date",
}


def _messages(form: forms.BaseForm) -> None:
    """Every message names its field: "Enter the family name", "Standard code must be…"."""
    for name, field in form.fields.items():
        label = str(field.label or name)
        field.error_messages["required"] = REQUIRED.get(name, f"Enter the {label.lower()}")
        field.error_messages["invalid_choice"] = f"Choose {label.lower()} from the list"
        if "max_length" in field.error_messages or isinstance(field, forms.CharField):
            limit = getattr(field, "max_length", None)
            if limit:
                field.error_messages["max_length"] = f"{label} must be {limit} characters or fewer"
        if isinstance(field, forms.DecimalField | forms.IntegerField):
            field.error_messages["invalid"] = f"{label} must be a number"
            field.error_messages["max_decimal_places"] = f"{label} must be in pounds and pence"
            field.error_messages["min_value"] = f"{label} must be 0 or more"


def _as_text(form: forms.BaseForm, name: str) -> str:
    value: str = form.cleaned_data.get(name) or ""
    problem = as_cohort.as_text_problem(str(form.fields[name].label), value)
    if problem:
        raise forms.ValidationError(problem)
    return value


class LearnerForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The ILR Learner tab: personal and contact details, identifiers, AS cohort, prior
    attainment."""

    date_of_birth = GovukDateField(label="Date of birth")
    prior_level_date = GovukDateField(label="Prior attainment applies from")
    # Longer than the 9 characters stored: typed with spaces ("AB 12 34 56 C"), kept without.
    ni_number = forms.CharField(
        label="National Insurance number",
        max_length=13,
        required=False,
        help_text=Learner._meta.get_field("ni_number").help_text,
    )

    class Meta:
        model = Learner
        fields: tuple[str, ...] = (*LEARNER_FORM_FIELDS, "site", "main_officer")
        labels = {"lrn": "Learner reference number (LRN)", "as_cohort_code": "AS cohort code"}
        help_texts = {
            "uln": "10 digits. 9999999999 is the temporary ULN, which the AS export refuses.",
            "as_cohort_code": "Shown in the AS cohort file's CohortRef column.",
            "lrn": "Up to 12 letters, digits and spaces, unique at the provider.",
        }

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        site = self.fields["site"]
        officer = self.fields["main_officer"]
        assert isinstance(site, forms.ModelChoiceField)
        assert isinstance(officer, forms.ModelChoiceField)
        site.queryset = Site.objects.filter(provider=provider)
        officer.queryset = Officer.objects.filter(provider=provider)
        _messages(self)

    def clean_lrn(self) -> str:
        lrn = _as_text(self, "lrn").strip()
        if not identifiers.lrn_ok(lrn):
            raise forms.ValidationError(
                "The learner reference number must be 1 to 12 letters, digits and spaces"
            )
        taken = Learner.objects.filter(provider=self.provider, lrn=lrn)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"Another learner at this provider has the LRN {lrn}")
        return lrn

    def clean_uln(self) -> str:
        uln = (self.cleaned_data.get("uln") or "").strip()
        if uln and uln != identifiers.TEMPORARY_ULN:
            problem = identifiers.uln_problem(uln)
            if problem:
                raise forms.ValidationError(problem)
        return uln

    def clean_upn(self) -> str:
        upn = (self.cleaned_data.get("upn") or "").replace(" ", "").upper()
        problem = identifiers.upn_problem(upn) if upn else None
        if problem:
            raise forms.ValidationError(problem)
        return upn

    def clean_ni_number(self) -> str:
        ni = identifiers.normalise_ni_number(self.cleaned_data.get("ni_number") or "")
        problem = identifiers.ni_number_problem(ni) if ni else None
        if problem:
            raise forms.ValidationError(problem)
        return ni

    def clean_given_names(self) -> str:
        return _as_text(self, "given_names").strip()

    def clean_family_name(self) -> str:
        return _as_text(self, "family_name").strip()

    def clean_as_cohort_code(self) -> str:
        return _as_text(self, "as_cohort_code").strip()

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip()
        problem = as_cohort.as_email_problem(email) if email else None
        if problem:
            raise forms.ValidationError(problem)
        return email

    def _postcode(self, name: str) -> str:
        postcode = identifiers.normalise_postcode(self.cleaned_data.get(name) or "")
        problem = identifiers.postcode_problem(postcode) if postcode else None
        if problem:
            raise forms.ValidationError(problem)
        return postcode

    def clean_postcode(self) -> str:
        return self._postcode("postcode")

    def clean_postcode_prior(self) -> str:
        return self._postcode("postcode_prior")

    def clean_date_of_birth(self) -> date | None:
        born: date | None = self.cleaned_data.get("date_of_birth")
        problem = date_of_birth_problem(born, timezone.localdate()) if born else None
        if problem:
            raise forms.ValidationError(problem)
        return born


class NewLearnerDetailsForm(LearnerForm):
    """New Learner's first part: the details (no state: a new learner is live)."""

    class Meta(LearnerForm.Meta):
        fields = tuple(f for f in LearnerForm.Meta.fields if f != "state")


class EmployerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        # Two employers may share a name: the identifier and ERN tell them apart.
        ern = f", ERN {obj.ern}" if obj.ern else ""
        return f"{obj.name} ({obj.pics_id}{ern})"


class EmploymentStatusForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    date_applies = GovukDateField(label="Applies from", required=True)
    employer = EmployerChoiceField(queryset=Organisation.objects.none(), required=False)

    class Meta:
        model = EmploymentStatus
        fields = (
            "date_applies",
            "status",
            "employer",
            "as_agreement_id",
            "employment_intensity",
            "length_of_employment",
        )
        labels = {"status": "Employment status", "as_agreement_id": "AS Agreement ID"}
        help_texts = {
            "as_agreement_id": (
                "From the employer's Apprenticeship Service account: up to 6 letters and "
                "digits. Only an Employed status has one."
            )
        }

    def __init__(self, *args: Any, learner: Learner | None, provider: Provider, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.learner = learner
        employer = self.fields["employer"]
        assert isinstance(employer, forms.ModelChoiceField)
        employer.queryset = Organisation.objects.filter(provider=provider, is_employer=True)
        _messages(self)

    def clean_as_agreement_id(self) -> str:
        value = (self.cleaned_data.get("as_agreement_id") or "").strip().upper()
        problem = identifiers.agreement_id_problem(value) if value else None
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, agreement = data.get("status"), data.get("as_agreement_id")
        agreement_problem = agreement_status_problem(status, agreement or "")
        if agreement_problem:
            self.add_error("as_agreement_id", agreement_problem)
        applies = data.get("date_applies")
        if applies and self.learner is not None:
            same_day = self.learner.employment_statuses.filter(date_applies=applies)
            if self.instance.pk:
                same_day = same_day.exclude(pk=self.instance.pk)
            if same_day.exists():
                self.add_error(
                    "date_applies",
                    f"The learner already has a status applying from {applies:%d/%m/%Y}: "
                    "edit that one",
                )
        return data


class StandardCodeField(forms.CharField):
    """A standard by its LARS code, as staff know it (not a list of 700)."""

    def clean(self, value: Any) -> Standard | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise forms.ValidationError("Standard code must be a number, for example 91")
        standard = Standard.objects.filter(lars_code=int(text)).first()
        if standard is None:
            raise forms.ValidationError(f"There is no apprenticeship standard with code {text}")
        return standard

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Standard):
            return value.lars_code
        if isinstance(value, int):
            return value
        return value


class AimForm(PlainTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A learning aim: dates, status, contract, prices, recognition of prior learning, EPA."""

    standard = StandardCodeField(label="Standard code", required=False, max_length=6)
    start_date = GovukDateField(label="Start date", required=True)
    planned_end_date = GovukDateField(label="Planned end date", required=True)
    actual_end_date = GovukDateField(label="Actual end date")
    achievement_date = GovukDateField(label="Achievement date")
    rpl = forms.TypedChoiceField(
        label="Recognition of prior learning",
        choices=[("", "Not recorded"), ("true", "Yes"), ("false", "No")],
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
        help_text="The Apprenticeship Service needs it for starts from 1 August 2022.",
    )

    class Meta:
        model = LearningDelivery
        fields: tuple[str, ...] = AIM_FORM_FIELDS
        labels = {
            "epa_org_id": "EPA organisation ID",
            "training_price": "Training price (TNP1, £)",
            "epa_price": "End-point assessment price (TNP2, £)",
        }

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contract = self.fields["contract"]
        assert isinstance(contract, forms.ModelChoiceField)
        contract.queryset = Contract.objects.filter(provider=provider)
        if self.instance.pk and self.instance.standard_id:
            self.initial["standard"] = self.instance.standard_id
        _messages(self)
        self.fields["standard"].error_messages["max_length"] = (
            "Standard code must be 6 digits or fewer"
        )

    @property
    def programme(self) -> bool:
        return bool(
            not self.instance.pk or self.instance.aim_type == LearningDelivery.AimType.PROGRAMME
        )

    def clean_epa_org_id(self) -> str:
        return str(self.cleaned_data.get("epa_org_id") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("planned_end_date")
        if start and end and end < start:
            self.add_error("planned_end_date", "The planned end date must be after the start date")
        # The completion fields' own rules (actual end, withdrawal reason, outcome, achievement
        # date) are the model's clean(), which Django runs after this.
        if not self.programme or self.errors:
            return data
        # The programme aim goes in the AS cohort file: its rules, here as well as there.
        if start and end:
            problem = as_cohort.as_dates_problem(start, end, timezone.localdate())
            if problem:
                self.add_error(problem[1], problem[0])
        training, epa = data.get("training_price"), data.get("epa_price")
        if training is not None or epa is not None:
            problem_text = as_cohort.as_price_problem(training, epa)
            if problem_text:
                self.add_error("training_price", problem_text)
        if start:
            for text, name in as_cohort.as_prior_learning_problems(
                start=start,
                rpl=data.get("rpl"),
                hours=data.get("rpl_training_total_hours"),
                reduction=data.get("rpl_training_hours_reduction"),
                price=data.get("rpl_price_reduced_by"),
            ):
                if name != "rpl":  # not yet recorded: the readiness panel says so
                    self.add_error(name, text)
        return data


COMPLETION_FIELDS = (
    "actual_end_date",
    "completion_status",
    "withdraw_reason",
    "outcome",
    "achievement_date",
)


class NewAimForm(AimForm):
    """New Learner's programme aim (completion details come later)."""

    class Meta(AimForm.Meta):
        fields = tuple(f for f in AIM_FORM_FIELDS if f not in COMPLETION_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.aim_type = LearningDelivery.AimType.PROGRAMME
        self.instance.aim_ref = "ZPROG001"
