"""Database helpers: settings that apply to web processes only, and the `any_of` lookup."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Field, ForeignObject, Lookup


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


class Ids:
    """Whole numbers for `any_of`, held in one object so that Django hands them to the lookup
    as they are: a list, tuple or set would be walked value by value first (resolving each as
    an expression, checking each against the related model), about 10 microseconds a learner
    in the ILR export's chunk queries."""

    __slots__ = ("values",)

    def __init__(self, values: Iterable[int]) -> None:
        self.values = [int(value) for value in values]


class AnyOf(Lookup):  # type: ignore[type-arg]
    """`learner_id__any_of=ids`: the column is one of a list of whole numbers, sent as one
    parameter (PostgreSQL: an array; SQLite: a JSON list read by json_each) instead of one
    placeholder per value, which Django prepares value by value (~5 microseconds each) and
    SQLite caps at 999. For reading records by the ids of a chunk of rows already fetched;
    pass them as `Ids(...)` (a plain list works too, prepared value by value)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = self.rhs.values if isinstance(self.rhs, Ids) else [int(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*params, ids]
        # `lhs` is the column Django compiled, the ids a parameter: nothing of the caller's text.
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return sql, [*params, json.dumps(ids)]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # foreign keys keep a lookup list of their own
