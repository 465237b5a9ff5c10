"""Form parts shared by every app: the GOV.UK date input (day, month, year boxes) as one
Django field, so no page uses the browser's own date picker (which shows US dates in some
locales) and every date gets the same plain messages; and `NamedErrorsMixin`, which makes
Django's built-in messages ("Enter a number") name their field ("Standard code must be a
number"), as GOV.UK's error messages do."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

CONTROL_CHARACTERS = (
    "Remove the hidden control characters from this text (they can come with text copied "
    "from another program)"
)
# C0 control characters but tab and new line (a carriage return is a line end, see line_ends),
# and the bidirectional overrides and isolates, which reverse how the text after them shows.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\u202a-\u202e\u2066-\u2069]")


def control_character_found(value: str) -> bool:
    return bool(_CONTROL_RE.search(value))


def line_ends(value: str) -> str:
    """Every line end as one new line: a browser sends a textarea's as CR LF, which would count
    two characters against a limit the page counts as one."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _plain_text(value: str) -> None:
    if control_character_found(value):
        raise forms.ValidationError(CONTROL_CHARACTERS)


def _with_line_ends(data: Any, names: list[str]) -> Any:
    if hasattr(data, "getlist"):  # a QueryDict: a copy, as the request's is immutable
        copy = data.copy()
        for name in names:
            if name in copy:
                copy.setlist(name, [line_ends(str(v)) for v in data.getlist(name)])
        return copy
    return {
        key: line_ends(value) if key in names and isinstance(value, str) else value
        for key, value in data.items()
    }


class PlainTextMixin(forms.BaseForm):
    """The one cleaner of every free-text field of a form: line ends arrive as one new line
    (counted once against a limit, stored so), and control characters (U+0000-U+001F but tab
    and new line) are refused with a message, not stored. Passwords are left as typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = []
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                # Django refuses NUL alone, in its own words; this covers it.
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ]
                field.validators.append(_plain_text)
                names.append(self.add_prefix(name))
        if self.is_bound:
            self.data = _with_line_ends(self.data, names)


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes; pages draw them with templates/_date_field.html."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in range(3)]
        super().__init__(boxes, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from three boxes. Messages name the field, as the GOV.UK pattern asks: "Enter the
    achieved date as a real date, for example 27 3 2025"."""

    widget = GovukDateWidget

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        boxes = tuple(forms.CharField(required=False, max_length=4) for _ in range(3))
        super().__init__(boxes, required=required, require_all_fields=False, **kwargs)

    def _name(self) -> str:
        return str(self.label or "date").lower()

    def compress(self, data_list: list[str]) -> date | None:
        parts = [str(p or "").strip() for p in (data_list or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter the {self._name()}")
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"The {self._name()} must include a {' and a '.join(missing)}"
            )
        try:
            day, month, year = (int(p) for p in parts)
            if not 1000 <= year <= 9999:
                raise ValueError
            return date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                f"Enter the {self._name()} as a real date, for example 27 3 2025"
            ) from None


def _mid_sentence(label: str) -> str:
    """ "Standard code" → "standard code"; an initialism stays ("LRN", "AS Agreement ID")."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first[1].isupper() else label[:1].lower() + label[1:]


def _named_messages(field: forms.Field, label: str) -> dict[str, str]:
    """GOV.UK's wording of Django's messages for a field labelled `label`."""
    lower = _mid_sentence(label)
    named: dict[str, str] = {}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        named["required"] = f"Select {lower}"
        named["invalid_choice"] = f"{label} must be one of the choices in the list"
        named["invalid_pk_value"] = f"{label} must be one of the choices in the list"
    elif isinstance(field, forms.CharField | forms.IntegerField | forms.DateField):
        named["required"] = f"Enter {lower}"
    if isinstance(field, forms.DateField):
        named["invalid"] = f"{label} must be a real date"
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
        named["invalid"] = f"{label} must be a whole number"
    if isinstance(field, forms.DecimalField | forms.FloatField):
        named["invalid"] = f"{label} must be a number"
    if isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
        named["min_value"] = f"{label} must be %(limit_value)s or more"
        named["max_value"] = f"{label} must be %(limit_value)s or less"
    if isinstance(field, forms.CharField):
        named["max_length"] = f"{label} must be %(limit_value)d characters or fewer"
        named["min_length"] = f"{label} must be %(limit_value)d characters or more"
    return named


class NamedErrorsMixin(forms.BaseForm):
    """Each field's built-in messages name it ("Enter a number" → "Standard code must be a
    number"). A message a field or form sets itself is kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            defaults: dict[str, Any] = {}
            for cls in reversed(type(field).__mro__):
                defaults.update(getattr(cls, "default_error_messages", {}))
            label = str(field.label or name.replace("_", " ").capitalize())
            for code, message in _named_messages(field, label).items():
                if field.error_messages.get(code, defaults.get(code)) == defaults.get(code):
                    field.error_messages[code] = message


class NamedErrorsForm(NamedErrorsMixin, forms.Form):
    """A plain form with named messages: the base of every list's filters (a FilterSet's
    `Meta.form`)."""


DATE_HINT = "For example, 31/08/2025"


def date_filter_options(label: str) -> dict[str, Any]:
    """The options of a list's date filter (django-filter DateFilter): the formats it takes, a
    hint and a plain message naming it."""
    return {
        "label": label,
        "input_formats": ["%d/%m/%Y", "%Y-%m-%d"],
        "help_text": DATE_HINT,
        "error_messages": {"invalid": f"Enter {label.lower()} as a date, {DATE_HINT.lower()}"},
    }


def date_range_form(start: str, end: str, what: str) -> type[forms.Form]:
    """A filter form refusing a range that ends before it starts (instead of finding nothing
    and saying "no records match")."""

    class DateRangeForm(NamedErrorsForm):
        def clean(self) -> dict[str, Any]:
            data = super().clean() or {}
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(
                    end, f"The {what} 'to' date must be the same as or after the 'from' date"
                )
            return data

    return DateRangeForm


class ModelErrorsShownMixin:
    """For a ModelForm that shows only some of its model's fields: an error the model's own
    clean() puts on a field the form does not show goes at the top of the form, naming that
    field, instead of Django's ValueError (a 500). Admin inlines and short staff forms use it."""

    def _update_errors(self, errors: forms.ValidationError) -> None:
        from django.core.exceptions import NON_FIELD_ERRORS
        from django.utils.text import capfirst

        if hasattr(errors, "error_dict"):
            shown: dict[str, list[Any]] = {}
            model = self._meta.model  # type: ignore[attr-defined]
            for name, messages in errors.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:  # type: ignore[attr-defined]
                    shown.setdefault(name, []).extend(messages)
                    continue
                label = capfirst(model._meta.get_field(name).verbose_name)
                shown.setdefault(NON_FIELD_ERRORS, []).extend(
                    forms.ValidationError(f"{label}: {message}")
                    for message in forms.ValidationError(messages).messages
                )
            errors = forms.ValidationError(shown)
        super()._update_errors(errors)  # type: ignore[misc]
