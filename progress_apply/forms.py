"""The portal's forms. Every field rule is a function of progress_apply.rules (the seed's
messages); the forms only map fields to them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from picsweb.forms import PlainTextMixin as PlainTextMixin
from picsweb.models import Provider, Role
from progress_apply import rules
from progress_apply.models import Ethnicity, Gender, ProviderDefault, YearGroup
from progress_apply.services import username_taken


def _rule(form: forms.BaseForm, name: str, rule: Callable[[str], str]) -> str:
    try:
        return rule(form.cleaned_data.get(name) or "")
    except rules.RuleError as error:
        raise forms.ValidationError(error.message) from None


def _text(
    label: str,
    *,
    required: bool = False,
    max_length: int = 100,
    too_long: str | None = None,
    **kw: Any,
) -> Any:
    """A text field; `too_long` is the rule's own message for a value over `max_length`."""
    messages = {"required": rules.REQUIRED}
    if too_long:
        messages["max_length"] = too_long
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=False,
        error_messages=messages,
        **kw,
    )


PROVIDER_CHOICE = "Choose one of the providers in the list"
REQUIRED_MESSAGES = {"required": rules.REQUIRED, "invalid_choice": rules.REQUIRED}


class LearnerDetailsForm(PlainTextMixin, forms.Form):
    """Key information, profile settings and additional information (§5.1; S10/S11)."""

    first_name = _text("First name", required=True, max_length=150)
    last_name = _text("Last name", required=True, max_length=150)
    dob_day = forms.CharField(label="Day", required=False, max_length=2)
    dob_month = forms.CharField(label="Month", required=False, max_length=2)
    dob_year = forms.CharField(label="Year", required=False, max_length=4)
    email = _text("Email address", max_length=254)
    year_group = forms.TypedChoiceField(
        label="Learner year group",
        choices=[("", "Choose a year group"), *YearGroup.choices],
        coerce=int,
        error_messages=REQUIRED_MESSAGES,
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.none(),
        to_field_name="code",
        empty_label="Choose the provider the learner attends",
        error_messages={**REQUIRED_MESSAGES, "invalid_choice": PROVIDER_CHOICE},
    )
    sign_off_profile = forms.ChoiceField(
        label="Sign off learner's profile?",
        choices=ProviderDefault.choices,
        initial=ProviderDefault.DEFAULT,
        widget=forms.RadioSelect,
        error_messages=REQUIRED_MESSAGES,
    )
    manager_adds_qualifications = forms.ChoiceField(
        label="Select whether or not you wish to add qualifications on behalf of this learner?",
        help_text="Check this box if you want to add this learner's qualifications to their "
        "profile",
        choices=ProviderDefault.choices,
        initial=ProviderDefault.DEFAULT,
        widget=forms.RadioSelect,
        error_messages=REQUIRED_MESSAGES,
    )
    house = _text("House name or number")
    street = _text("Street")
    locality = _text("Locality")
    town = _text("Town")
    postcode = _text("Postcode", max_length=20, too_long=rules.POSTCODE)
    telephone = _text("Telephone number", max_length=20, too_long=rules.TELEPHONE)
    uln = _text(
        "ULN", max_length=20, too_long=rules.ULN, help_text="Unique Learner Number, 10 digits"
    )
    upn = _text(
        "UPN", max_length=20, too_long=rules.UPN, help_text="Unique Pupil Number, 13 characters"
    )
    ccis_id = _text("CCIS ID", max_length=20, too_long=rules.CCIS)
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, required=False, widget=forms.RadioSelect
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group", choices=Ethnicity.choices, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Provider.objects.filter(pk__in=[p.pk for p in providers])
        if len(providers) == 1 and not self.is_bound:
            self.initial.setdefault("provider", providers[0].code)

    def clean_first_name(self) -> str:
        return _rule(self, "first_name", rules.name)

    def clean_last_name(self) -> str:
        return _rule(self, "last_name", rules.name)

    def clean_email(self) -> str:
        return _rule(self, "email", rules.email)

    def clean_postcode(self) -> str:
        return _rule(self, "postcode", rules.postcode)

    def clean_telephone(self) -> str:
        return _rule(self, "telephone", rules.telephone)

    def clean_uln(self) -> str:
        return _rule(self, "uln", rules.uln)

    def clean_upn(self) -> str:
        return _rule(self, "upn", rules.upn)

    def clean_ccis_id(self) -> str:
        return _rule(self, "ccis_id", rules.ccis)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [str(data.get(f"dob_{p}") or "").strip() for p in ("day", "month", "year")]
        if not all(parts):
            self.add_error("dob_day", rules.REQUIRED)
        else:
            try:
                born = date(int(parts[2]), int(parts[1]), int(parts[0]))
                data["date_of_birth"] = rules.date_of_birth(born, today=timezone.localdate())
            except ValueError as error:
                message = error.message if isinstance(error, rules.RuleError) else None
                self.add_error("dob_day", message or rules.DATE_OF_BIRTH)
        for name in ("house", "street", "locality", "town"):
            data[name] = (data.get(name) or "").strip()
        return data

    def learner_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "year_group date_of_birth sign_off_profile manager_adds_qualifications house street "
            "locality town postcode telephone uln upn ccis_id gender ethnicity"
        ).split()
        return {name: data[name] for name in names}


class CreateLearnerForm(LearnerDetailsForm):
    """Create learner (§5.1): the login information first."""

    username = _text(
        "Username",
        required=True,
        max_length=200,
        too_long=rules.LEARNER_USERNAME,
        help_text="Between 6 and 127 characters: letters, numbers or these characters (@._-)",
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=100,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text="Between 6 and 20 characters, with at least one letter and one symbol or "
        "number. The learner changes it when they first log in.",
        error_messages={"required": rules.PASSWORD_MESSAGE, "max_length": rules.PASSWORD_MESSAGE},
    )
    field_order = ["username", "password"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["username"].error_messages["required"] = rules.LEARNER_USERNAME

    def clean_username(self) -> str:
        username = _rule(self, "username", rules.learner_username)
        if username_taken(username):
            raise forms.ValidationError(rules.USERNAME_TAKEN)
        return username

    def clean_password(self) -> str:
        return _rule(self, "password", rules.password)


class PersonalDetailsForm(PlainTextMixin, forms.Form):
    """Account, Personal details tab (§3.2)."""

    first_name = _text("First name", required=True, max_length=150)
    last_name = _text("Last name", required=True, max_length=150)
    email = _text("Email address", required=True, max_length=254)
    telephone = _text("Telephone number", max_length=20, too_long=rules.TELEPHONE)

    def clean_first_name(self) -> str:
        return _rule(self, "first_name", rules.name)

    def clean_last_name(self) -> str:
        return _rule(self, "last_name", rules.name)

    def clean_email(self) -> str:
        return _rule(self, "email", rules.email)

    def clean_telephone(self) -> str:
        return _rule(self, "telephone", rules.telephone)


class UsernameForm(PlainTextMixin, forms.Form):
    """Account, Username tab (§3.3): managers 6-150 of letters, digits and @ . - _; learners
    as on Create learner."""

    username = _text("Username", required=True, max_length=300)

    def __init__(self, *args: Any, user: User, learner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.learner = learner
        self.fields["username"].error_messages["required"] = self._message()

    def _message(self) -> str:
        return rules.LEARNER_USERNAME if self.learner else rules.MANAGER_USERNAME

    def clean_username(self) -> str:
        rule = rules.learner_username if self.learner else rules.manager_username
        username = _rule(self, "username", rule)
        if username_taken(username, exclude_user_id=self.user.pk):
            raise forms.ValidationError(rules.USERNAME_TAKEN)
        return username


class NewPasswordForm(forms.Form):
    """Choose a password: first log-in, verification link, Account's Password tab."""

    new_password = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Between 6 and 20 characters, with at least one letter and one symbol or number.",
        error_messages={"required": rules.PASSWORD_MESSAGE},
    )
    confirm_password = forms.CharField(
        label="Confirm new password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your new password"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        value = _rule(self, "new_password", rules.password)
        validate_password(value, self.user)
        if _is_current_password(self.user, value):
            raise forms.ValidationError(rules.PASSWORD_NOT_NEW)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, confirm = data.get("new_password"), data.get("confirm_password")
        if new and confirm is not None and new != confirm:
            self.add_error("confirm_password", "The passwords do not match")
        return data


def _is_current_password(user: User, value: str) -> bool:
    """Whether `value` is the password the user has now: the one they were issued (printed,
    known to their manager) or their own."""
    from progress_apply.models import PortalLearner
    from progress_apply.services import issued_decrypt

    learner = PortalLearner.objects.filter(user_id=user.pk).first()
    if learner is not None and learner.issued_password:
        return issued_decrypt(learner.issued_password) == value
    return user.has_usable_password() and user.check_password(value)


class ChangePasswordForm(NewPasswordForm):
    """Account, Password tab (§3.4): the current password first."""

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["current_password", "new_password", "confirm_password"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def clean_current_password(self) -> str:
        value: str = self.cleaned_data["current_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("Your current password is not right")
        return value


class StaffAccountForm(PlainTextMixin, forms.Form):
    """A User Manager creates a staff account (§1.4)."""

    first_name = _text("First name", required=True, max_length=150)
    last_name = _text("Last name", required=True, max_length=150)
    email = _text(
        "Email address",
        required=True,
        max_length=150,
        help_text="Their username to begin with; the verification email goes here.",
    )
    telephone = _text("Telephone number", max_length=20, too_long=rules.TELEPHONE)
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.none(),
        to_field_name="code",
        error_messages=REQUIRED_MESSAGES,
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=[
            (Role.LEARNER_MANAGER.value, Role.LEARNER_MANAGER.label),
            (Role.PROVIDER_MANAGER.value, Role.PROVIDER_MANAGER.label),
            (Role.USER_MANAGER.value, Role.USER_MANAGER.label),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role"},
    )

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Provider.objects.filter(pk__in=[p.pk for p in providers])

    def clean_first_name(self) -> str:
        return _rule(self, "first_name", rules.name)

    def clean_last_name(self) -> str:
        return _rule(self, "last_name", rules.name)

    def clean_email(self) -> str:
        email = _rule(self, "email", rules.email)
        if username_taken(email):
            raise forms.ValidationError("There is already an account with this email address")
        return email

    def clean_telephone(self) -> str:
        return _rule(self, "telephone", rules.telephone)


class ForgottenUsernameForm(PlainTextMixin, forms.Form):
    email = _text("Email address", required=True, max_length=254)

    def clean_email(self) -> str:
        return _rule(self, "email", rules.email)
