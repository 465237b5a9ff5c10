"""Form parts shared by every app: the GOV.UK date input (day, month, year boxes) as one
Django field, so no page uses the browser's own date picker (which shows US dates in some
locales) and every date gets the same plain messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms


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

    class DateRangeForm(forms.Form):
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
