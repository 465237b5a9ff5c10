"""Settings come from the environment: each case runs Django in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'broker': settings.CELERY_BROKER_URL, 'email': settings.EMAIL_BACKEND, "
    "'debug': settings.DEBUG, 'site_url': settings.SITE_URL}))"
)


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**keep, "DJANGO_SETTINGS_MODULE": "picsweb.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_runs_embedded_with_nothing_but_debug_set(tmp_path):
    result = run_settings({"DEBUG": "true", "PICSWEB_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["broker"] == "filesystem://"
    assert found["email"].endswith("console.EmailBackend")


def test_it_uses_postgres_redis_and_smtp_when_told(tmp_path):
    result = run_settings(
        {
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u:p@db:5432/picsweb",
            "CELERY_BROKER_URL": "redis://redis:6379/0",
            "EMAIL_HOST": "mail",
            "PICSWEB_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["broker"] == "redis://redis:6379/0"
    assert found["email"].endswith("smtp.EmailBackend")
    assert found["debug"] is False


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = run_settings({"PICSWEB_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_says_which_setting_is_malformed(tmp_path):
    result = run_settings({"DEBUG": "yes please", "PICSWEB_VAR_DIR": str(tmp_path)})
    assert "DEBUG must be true or false, not 'yes please'" in result.stderr


def test_links_in_emails_follow_the_port_make_run_serves_on(tmp_path):
    result = run_settings({"DEBUG": "true", "PICSWEB_VAR_DIR": str(tmp_path), "PORT": "8103"})
    assert json.loads(result.stdout)["site_url"] == "http://127.0.0.1:8103"
    told = run_settings(
        {
            "DEBUG": "true",
            "PICSWEB_VAR_DIR": str(tmp_path),
            "PORT": "8103",
            "SITE_URL": "https://x.example/",
        }
    )
    assert json.loads(told.stdout)["site_url"] == "https://x.example"
