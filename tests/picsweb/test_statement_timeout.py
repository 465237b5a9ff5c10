"""Web processes run with a PostgreSQL statement timeout; the worker and commands do not, and
a cancelled request gets a plain page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; {load}; from django.db import connection; "
    "c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
)


def _slow_view(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 50")
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


urlpatterns = [path("slow/", _slow_view)]


def _statement_timeout(load: str) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's")
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_SETTINGS_MODULE": "picsweb.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "DB_STATEMENT_TIMEOUT_MS": "1234",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(load=load)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


@pytest.mark.django_db
def test_it_gives_web_processes_a_statement_timeout():
    assert _statement_timeout("import picsweb.wsgi") == "1234ms"


@pytest.mark.django_db
def test_it_gives_the_worker_and_commands_no_statement_timeout():
    assert _statement_timeout("django.setup(); import picsweb.celery") == "0"


@pytest.mark.urls("tests.picsweb.test_statement_timeout")
def test_it_answers_a_cancelled_query_with_a_plain_page(transactional_db, personas):
    if connection.vendor != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's")
    response = personas.client_for(personas.provider_admin).get("/slow/")
    assert response.status_code == 503
    assert b"This took too long" in response.content
