"""What `make test` does to get a machine ready (bin/setup_test_machine.py), case by case."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "setup_test_machine", ROOT / "bin" / "setup_test_machine.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["setup_test_machine"] = module
    spec.loader.exec_module(module)
    return module


setup = _load()

READY = setup.Facts(
    local_database=True,
    postgres_installed=True,
    postgres_running=True,
    postgres_version="15",
    local_broker=True,
    redis_installed=True,
    redis_running=True,
    chromium_installed=True,
    npm_installed=True,
    may_install=True,
    is_root=True,
)


def facts(**changes: object) -> object:
    return dataclasses.replace(READY, **changes)


def test_it_does_nothing_but_check_the_role_on_a_ready_machine():
    plan = setup.decide(READY)
    assert plan.steps == []
    assert plan.ensure_role and not plan.missing_services and not plan.blocked


def test_it_starts_a_stopped_postgresql_cluster_and_waits_for_it():
    plan = setup.decide(facts(postgres_running=False))
    assert plan.steps == [["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"]]
    assert plan.wait_for_postgres


def test_it_starts_postgresql_through_sudo_when_not_root():
    plan = setup.decide(facts(postgres_running=False, is_root=False))
    assert plan.steps[0][:2] == ["sudo", "-n"]


def test_it_starts_a_stopped_redis():
    plan = setup.decide(facts(redis_running=False))
    assert plan.steps[0][0] == "redis-server" and plan.wait_for_redis


def test_it_installs_chromium_when_it_may():
    plan = setup.decide(facts(chromium_installed=False))
    assert plan.steps[-1][-1] == "chromium"
    assert "apt-get" in plan.steps[-1] and "update" in plan.steps[-2]


def test_it_installs_npm_for_axe_core_with_chromium_in_one_step():
    plan = setup.decide(facts(chromium_installed=False, npm_installed=False))
    assert plan.steps[-1][-2:] == ["chromium", "npm"]
    assert setup.decide(facts(npm_installed=False)).steps[-1][-1] == "npm"


def test_it_stops_with_the_exact_command_when_it_may_not_install_chromium():
    plan = setup.decide(facts(chromium_installed=False, may_install=False, is_root=False))
    assert plan.blocked == "sudo apt-get install chromium"
    assert setup.carry_out(plan, facts(), "postgres://x@127.0.0.1/db", "redis://127.0.0.1/1") == 1


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"postgres_installed": False, "postgres_running": False}, ["PostgreSQL"]),
        ({"redis_installed": False, "redis_running": False}, ["Redis"]),
    ],
)
def test_it_falls_back_to_the_embedded_run_when_a_service_is_not_installed(change, missing):
    plan = setup.decide(facts(chromium_installed=False, npm_installed=False, **change))
    assert plan.missing_services == missing
    assert plan.steps == []  # no browser install for a run that will not use one


def test_it_leaves_remote_services_alone():
    plan = setup.decide(
        facts(local_database=False, local_broker=False, postgres_running=False, redis_running=False)
    )
    assert plan.steps == [] and not plan.ensure_role


def test_the_embedded_fallback_exits_with_its_own_code_and_says_what_does_not_run(capsys):
    plan = setup.decide(facts(redis_installed=False, redis_running=False))
    plan.ensure_role = False
    code = setup.carry_out(plan, READY, "postgres://x@127.0.0.1/db", "redis://127.0.0.1/1")
    assert code == setup.EMBEDDED_ONLY
    assert "Redis not installed" in capsys.readouterr().out


def test_it_reads_this_machine():
    found = setup.look("postgres://postgres@127.0.0.1:5432/picsweb", "redis://127.0.0.1:6379/15")
    assert found.local_database and found.local_broker
