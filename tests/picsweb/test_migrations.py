"""Providers and memberships moved from the learners app to the core: a database made before
the move upgrades in place, keeping its rows and the records that point at them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("learners", "0005_as_export"),
    ("picsweb", "0003_job_plan_file"),
    ("payments", "0004_import_write_path"),
    ("ilr_exports", "0001_initial"),
]
AFTER = [
    ("learners", "0006_providers_move_to_core"),
    ("picsweb", "0004_core_providers"),
]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_it_upgrades_a_database_made_before_providers_moved_to_the_core():
    old = _migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="kept")
    provider = old.get_model("learners", "Provider").objects.create(
        ukprn="10012345", name="Northgate Training"
    )
    old.get_model("learners", "Membership").objects.create(
        user=user, provider=provider, role="provider_admin"
    )
    site = old.get_model("learners", "Site").objects.create(
        provider=provider, code="S1", name="Main"
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.get_or_create(app_label="learners", model="provider")

    new = _migrate(AFTER)
    moved = new.get_model("picsweb", "Provider").objects.get()
    assert (moved.pk, moved.ukprn, moved.code) == (provider.pk, "10012345", provider.code)
    membership = new.get_model("picsweb", "Membership").objects.get()
    assert (membership.user_id, membership.role) == (user.pk, "provider_admin")
    assert new.get_model("learners", "Site").objects.get(pk=site.pk).provider_id == moved.pk
    ct = new.get_model("contenttypes", "ContentType").objects
    assert ct.filter(app_label="picsweb", model="provider").exists()
    assert not ct.filter(app_label="learners", model="provider").exists()

    _migrate(_migrate_leaves())


def _migrate_leaves() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
