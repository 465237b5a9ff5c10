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
