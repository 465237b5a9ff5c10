# The learner list at 200,000 learners (issue 19 §13): indexes a page can be read from alone.

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL: the name-search prefix indexes of migration 0003 now carry the columns the search
# tests, so each word's matches are found in the index alone (an index-only scan) instead of by
# computing UPPER() on every one of the provider's rows. Other databases have no opclasses.
PREFIX_COLUMNS = ("family_name", "given_names")


def covering_prefix_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PREFIX_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS learners_learner_{column}_prefix")
        schema_editor.execute(
            f"CREATE INDEX learners_learner_{column}_prefix ON learners_learner "
            f"(provider_id, UPPER({column}::text) text_pattern_ops) "
            "INCLUDE (family_name, given_names, lrn, id)"
        )


def plain_prefix_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PREFIX_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS learners_learner_{column}_prefix")
        schema_editor.execute(
            f"CREATE INDEX learners_learner_{column}_prefix ON learners_learner "
            f"(provider_id, UPPER({column}::text) text_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0014_prior_levels_esfa"),
        ("picsweb", "0008_role_edit_learners"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="learner",
            index=models.Index(
                fields=["provider", "state", "id", "site", "main_officer", "as_status"],
                name="learners_learner_list_count",
            ),
        ),
        migrations.AlterField(
            model_name="learner",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                to="picsweb.provider",
            ),
        ),
        migrations.RemoveIndex(model_name="learner", name="learners_learner_list_name"),
        migrations.RemoveIndex(model_name="learner", name="learners_learner_list_uln"),
        migrations.RemoveIndex(model_name="learner", name="learners_learner_list_dob"),
        migrations.AddIndex(
            model_name="learner",
            index=models.Index(
                fields=[
                    "provider",
                    "family_name",
                    "given_names",
                    "id",
                    "state",
                    "site",
                    "main_officer",
                    "as_status",
                ],
                name="learners_learner_list_name",
            ),
        ),
        migrations.AddIndex(
            model_name="learner",
            index=models.Index(
                fields=["provider", "uln", "id", "state", "site", "main_officer", "as_status"],
                name="learners_learner_list_uln",
            ),
        ),
        migrations.AddIndex(
            model_name="learner",
            index=models.Index(
                fields=[
                    "provider",
                    "date_of_birth",
                    "id",
                    "state",
                    "site",
                    "main_officer",
                    "as_status",
                ],
                name="learners_learner_list_dob",
            ),
        ),
        migrations.RunPython(covering_prefix_indexes, plain_prefix_indexes),
    ]
