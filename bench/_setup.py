"""Shared start of every benchmark: Django on the database in DATABASE_URL (default: a
PostgreSQL database `picsweb_bench` on this machine), filled with demo data when short.
The database is disposable: drop it (`dropdb -h 127.0.0.1 -U postgres picsweb_bench`) after the
demo data changes, and the next benchmark makes it again (about two minutes)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/picsweb_bench")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picsweb.settings")
os.environ.setdefault("PICSWEB_VAR_DIR", str(ROOT / "var" / "bench"))


def setup(learners: int) -> None:
    """Migrates and makes sure at least `learners` demo learners exist."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from learners.models import Learner

    if connection.vendor == "postgresql":
        _create_database_if_missing()
    call_command("migrate", verbosity=0)
    have = Learner.objects.count()
    if have < learners:
        print(f"seeding {learners - have:,} demo learners (once)...", flush=True)
        call_command("seed_demo", learners=learners - have)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _create_database_if_missing() -> None:
    import psycopg2
    from django.db import connection

    params = connection.settings_dict
    try:
        psycopg2.connect(
            dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"]
        ).close()
    except psycopg2.OperationalError:
        admin = psycopg2.connect(
            dbname="postgres", user=params["USER"], host=params["HOST"], port=params["PORT"]
        )
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{params["NAME"]}"')
        admin.close()


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would carry the parent's peak
    across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_child(script: str, *args: str) -> dict[str, Any]:
    """Runs `script --child ARGS` in a fresh process; returns the JSON it prints last."""
    import json
    import subprocess

    result = subprocess.run(
        [sys.executable, script, "--child", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(script).parent,
    )
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))
