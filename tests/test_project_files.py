"""The files a newcomer relies on: docker-compose.yml and the README's variable table."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def readme_variables() -> set[str]:
    text = (ROOT / "README.md").read_text()
    table = text.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))


def test_it_composes_postgres_redis_web_worker_beat_and_a_mail_catcher():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = {"postgres", "redis", "web", "worker", "beat", "mailcatcher"}
    assert set(compose["services"]) == services
    assert "gunicorn" in compose["services"]["web"]["command"]
    assert "celery" in compose["services"]["worker"]["command"]
    assert "celery -A picsweb beat" in compose["services"]["beat"]["command"]


def test_make_run_starts_celery_beat_beside_the_worker():
    run_dev = (ROOT / "bin" / "run-dev").read_text()
    assert '"beat",' in run_dev and '"worker",' in run_dev


def test_it_documents_every_variable_compose_sets():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    documented = readme_variables()
    for name in ("web", "worker", "beat"):
        assert set(compose["services"][name]["environment"]) <= documented, name


def test_it_documents_every_variable_settings_reads():
    settings_source = (ROOT / "picsweb" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', settings_source))
    assert read == readme_variables()


def test_every_dependency_is_pinned_and_the_audit_fails_on_an_unchecked_package():
    """Issue 11 item 17: pins that an audit can check, and an audit that cannot pass by
    skipping (pip-audit --strict makes a package it could not look up an error)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    unpinned = [r for r in requirements if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", r)]
    assert unpinned == []
    audit = (ROOT / "Makefile").read_text().split("\naudit:", 1)[1].split("\n\n", 1)[0]
    assert "pip-audit==" in audit and "--strict" in audit and "$(VENV)" in audit
