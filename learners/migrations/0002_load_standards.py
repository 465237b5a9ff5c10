from django.db import migrations


def load_standards(apps, schema_editor):
    from learners.reference_data import standards

    Standard = apps.get_model("learners", "Standard")
    Standard.objects.bulk_create(
        [
            Standard(
                lars_code=int(row["lars_code"]),
                ifate_reference=row["ifate_reference"],
                title=row["title"][:300],
                level=int(row["level"]),
                status=row["status"],
                max_funding=int(row["max_funding_gbp"]) if row["max_funding_gbp"] else None,
                typical_duration_months=(
                    int(row["typical_duration_months"]) if row["typical_duration_months"] else None
                ),
            )
            for row in standards()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("learners", "0001_initial")]
    operations = [migrations.RunPython(load_standards, migrations.RunPython.noop)]
