"""Indexes on Django's auth_user for the managers' learner list (PostgreSQL only): its order
(last name, first name, then the user) walks the first, so a page reads 50 rows, not every
learner of the provider; its search (istartswith: UPPER(col::text) LIKE 'SMI%') uses the
others. Other databases have no opclasses and run fine without them at their size."""

from django.conf import settings
from django.db import migrations

SEARCHED = ("username", "last_name", "first_name", "email")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS progress_apply_user_name_order ON auth_user "
        "(UPPER(last_name::text), UPPER(first_name::text), id)"
    )
    for column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS progress_apply_user_{column}_prefix ON auth_user "
            f"(UPPER({column}::text) text_pattern_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS progress_apply_user_name_order")
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS progress_apply_user_{column}_prefix")


class Migration(migrations.Migration):
    dependencies = [
        ("progress_apply", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
