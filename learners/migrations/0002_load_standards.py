from django.db import migrations


def load_standards(apps, schema_editor):
    from learners.reference_data import load_standards

    load_standards(apps.get_model("learners", "Standard"))


class Migration(migrations.Migration):
    dependencies = [("learners", "0001_initial")]
    operations = [migrations.RunPython(load_standards, migrations.RunPython.noop)]
