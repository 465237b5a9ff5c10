from __future__ import annotations

from typing import Any

from django import forms

from picsweb.imports.pipeline import ImportSpec, import_check_upload
from picsweb.imports.reading import SEPARATORS, ImportFileError
from picsweb.models import Provider


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="CSV or XLSX. A CSV may be UTF-8 (with or without BOM) or as Excel saves it.",
        error_messages={"required": "Choose the file to import.", "empty": "The file is empty."},
    )
    separator = forms.ChoiceField(
        label="Separator (CSV only)", choices=list(SEPARATORS.items()), initial=","
    )

    def __init__(
        self, *args: Any, spec: ImportSpec, provider: Provider | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.provider = provider
        if spec.formats == ("csv",):
            self.fields["file"].help_text = "A CSV file."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        # A form without the field (an import that takes no CSV) reads with the default.
        if upload is not None and ("separator" in data or "separator" not in self.fields):
            try:
                import_check_upload(
                    spec=self.spec,
                    upload=upload,
                    provider=self.provider,
                    separator=data.get("separator", ","),
                )
            except ImportFileError as error:
                self.add_error("file", error.message)
        return data
