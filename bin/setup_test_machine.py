#!/usr/bin/env python3
"""Get this machine ready for `make test`, or say exactly what is missing.

`make test` and `.ci/run` both call this. It looks at the machine (`look`), decides what to
do (`decide`, a pure function the tests check case by case), does it (`carry_out`), and exits:

- 0: PostgreSQL, Redis, chromium and npm (which fetches axe-core for the browser suite's
  accessibility check) are ready; the whole suite can run.
- 3: PostgreSQL or Redis is not installed at all (a laptop): the caller runs what the embedded
  default can run and then fails, naming what was not run. Its one line is printed here.
- 1: something must be done by hand first; the exact command is printed.

Only the standard library is used, so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

EMBEDDED_ONLY = 3
MUST_ACT = 1

REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--save",
    "",
    "--appendonly",
    "no",
]


@dataclass(frozen=True)
class Facts:
    """What the machine has, read by `look`."""

    local_database: bool  # the test database URL points at this machine
    postgres_installed: bool
    postgres_running: bool
    postgres_version: str  # the cluster to start ("" if none)
    local_broker: bool
    redis_installed: bool
    redis_running: bool
    chromium_installed: bool
    npm_installed: bool
    may_install: bool  # root, or sudo without a password
    is_root: bool


@dataclass
class Plan:
    steps: list[list[str]] = field(default_factory=list)
    missing_services: list[str] = field(default_factory=list)
    blocked: str = ""  # what the user must run by hand, when nothing else will do
    wait_for_postgres: bool = False
    wait_for_redis: bool = False
    ensure_role: bool = False


def _as_root(command: list[str], facts: Facts) -> list[str]:
    return command if facts.is_root else ["sudo", "-n", *command]


def decide(facts: Facts) -> Plan:
    plan = Plan()
    if facts.local_database:
        if not facts.postgres_installed:
            plan.missing_services.append("PostgreSQL")
        elif not facts.postgres_running:
            plan.steps.append(
                _as_root(
                    [
                        "pg_ctlcluster",
                        "--skip-systemctl-redirect",
                        facts.postgres_version,
                        "main",
                        "start",
                    ],
                    facts,
                )
            )
            plan.wait_for_postgres = True
        if facts.postgres_installed:
            plan.ensure_role = True
    if facts.local_broker:
        if not facts.redis_installed:
            plan.missing_services.append("Redis")
        elif not facts.redis_running:
            plan.steps.append(REDIS_START)
            plan.wait_for_redis = True
    if plan.missing_services:
        # The embedded run needs no browser; don't install one for it.
        return plan
    # The browser suite needs chromium, and npm to install axe-core (`make node_modules`).
    wanted = (("chromium", facts.chromium_installed), ("npm", facts.npm_installed))
    packages = [name for name, installed in wanted if not installed]
    if packages:
        if facts.may_install:
            apt = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
            plan.steps.append(_as_root([*apt, "update", "-qq"], facts))
            plan.steps.append(_as_root([*apt, "install", "-y", "-qq", *packages], facts))
        else:
            plan.blocked = "sudo apt-get install " + " ".join(packages)
    return plan


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _local(host: str | None) -> bool:
    return host in (None, "", "localhost", "127.0.0.1", "::1")


def _can_sudo() -> bool:
    if not shutil.which("sudo"):
        return False
    return subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0


def look(database_url: str, broker_url: str) -> Facts:
    db = urlsplit(database_url)
    broker = urlsplit(broker_url)
    clusters = (
        sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").is_dir() else []
    )
    is_root = os.geteuid() == 0
    return Facts(
        local_database=db.scheme.startswith("postgres") and _local(db.hostname),
        postgres_installed=bool(clusters) and shutil.which("pg_ctlcluster") is not None,
        postgres_running=_port_open(db.hostname or "127.0.0.1", db.port or 5432),
        postgres_version=clusters[-1].parent.name if clusters else "",
        local_broker=broker.scheme == "redis" and _local(broker.hostname),
        redis_installed=shutil.which("redis-server") is not None,
        redis_running=_port_open(broker.hostname or "127.0.0.1", broker.port or 6379),
        chromium_installed=shutil.which("chromium") is not None,
        npm_installed=shutil.which("npm") is not None,
        may_install=is_root or _can_sudo(),
        is_root=is_root,
    )


def _wait(host: str, port: int, what: str) -> None:
    deadline = time.monotonic() + 30
    while not _port_open(host, port):
        if time.monotonic() > deadline:
            raise SystemExit(f"test-setup: {what} did not start on {host}:{port}")
        time.sleep(0.5)


def _ensure_role(database_url: str, facts: Facts) -> None:
    """The test user must exist and may create the test database (pytest-django makes it)."""
    db = urlsplit(database_url)
    user = db.username or "postgres"
    psql = shutil.which("psql")
    if not psql:
        return
    env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
    if db.password:
        env["PGPASSWORD"] = db.password
    query = "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
    probe = subprocess.run(
        [psql, "-h", db.hostname or "127.0.0.1", "-p", str(db.port or 5432), "-U", user,
         "-d", "postgres", "-Atc", query],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if probe.returncode == 0 and probe.stdout.strip() == "t":
        return
    statement = f'CREATE ROLE "{user}" LOGIN CREATEDB'
    if probe.returncode == 0:  # the role exists but may not create databases
        statement = f'ALTER ROLE "{user}" CREATEDB'
    if not facts.may_install:
        raise SystemExit(
            f"test-setup: the PostgreSQL role {user!r} cannot create the test database; run:\n"
            f"  sudo -u postgres psql -c '{statement}'"
        )
    runner = (
        ["runuser", "-u", "postgres", "--"] if facts.is_root else ["sudo", "-n", "-u", "postgres"]
    )
    print(f"test-setup: {statement}", flush=True)
    subprocess.run([*runner, psql, "-c", statement], check=True)


def carry_out(plan: Plan, facts: Facts, database_url: str, broker_url: str) -> int:
    if plan.blocked:
        print(
            "test-setup: chromium and npm (for axe-core) are needed for the browser tests; "
            f"run:\n  {plan.blocked}"
        )
        return MUST_ACT
    for step in plan.steps:
        print("test-setup: " + " ".join(step), flush=True)
        result = subprocess.run(step, check=False)
        if result.returncode != 0:
            print(f"test-setup: that failed (exit {result.returncode}); run it by hand and retry")
            return MUST_ACT
    db = urlsplit(database_url)
    broker = urlsplit(broker_url)
    if plan.wait_for_postgres:
        _wait(db.hostname or "127.0.0.1", db.port or 5432, "PostgreSQL")
    if plan.wait_for_redis:
        _wait(broker.hostname or "127.0.0.1", broker.port or 6379, "Redis")
    if plan.ensure_role:
        _ensure_role(database_url, facts)
    if plan.missing_services:
        names = " and ".join(plan.missing_services)
        print(
            f"test-setup: {names} not installed: running only what the embedded default "
            "(SQLite, no worker, no browser) can run; the worker and browser tests will not run"
        )
        return EMBEDDED_ONLY
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--broker-url", required=True)
    args = parser.parse_args(argv)
    facts = look(args.database_url, args.broker_url)
    return carry_out(decide(facts), facts, args.database_url, args.broker_url)


if __name__ == "__main__":
    sys.exit(main())
