from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from picsweb.imports.pipeline import ImportSpec, import_check_upload
from picsweb.imports.reading import SEPARATORS, ImportFileError


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="CSV or XLSX. A CSV may be UTF-8 (with or without BOM) or as Excel saves it.",
        error_messages={"required": "Choose the file to import."},
    )
    separator = forms.ChoiceField(
        label="Separator (CSV only)", choices=list(SEPARATORS.items()), initial=","
    )

    def __init__(self, *args: Any, spec: ImportSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec.formats == ("csv",):
            self.fields["file"].help_text = "A CSV file."

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            import_check_upload(spec=self.spec, upload=upload)
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload
