"""Loads the qualification types, subjects and grades shipped in progress_apply/data/."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from progress_apply.reference_data import load_qualifications

    load_qualifications(
        apps.get_model("progress_apply", "QualificationType"),
        apps.get_model("progress_apply", "QualificationSubject"),
        apps.get_model("progress_apply", "QualificationGrade"),
    )


class Migration(migrations.Migration):
    dependencies = [("progress_apply", "0003_profiles_qualifications_groups")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
