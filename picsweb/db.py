"""Database settings that apply to web processes only."""

from __future__ import annotations

from django.conf import settings
from django.db import connections


def use_web_statement_timeout() -> None:
    """Every statement a web request runs is cancelled after DB_STATEMENT_TIMEOUT_MS, so a
    costly request cannot hold PostgreSQL after its client has gone. Called by wsgi.py (gunicorn
    and runserver) only: the worker and the management commands never load it, as jobs run
    long and have their own time limits (CELERY_TASK_TIME_LIMIT)."""
    timeout = settings.DB_STATEMENT_TIMEOUT_MS
    if timeout <= 0:
        return
    for alias in connections:
        db = connections.settings[alias]
        if db["ENGINE"] != "django.db.backends.postgresql":
            continue
        options = db.setdefault("OPTIONS", {})
        # libpq's startup options: set once per connection, no query per request.
        options["options"] = f"{options.get('options', '')} -c statement_timeout={timeout}".strip()
