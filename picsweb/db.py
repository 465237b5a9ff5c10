"""Database helpers: settings that apply to web processes only, the `any_of` lookup, and
reading ahead in a thread."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections
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


_END = object()
T = TypeVar("T")


def read_ahead(items: Callable[[], Iterator[T]], *, depth: int = 2) -> Generator[T, None, None]:
    """The items of `items()`, read in a thread on its own database connection, up to `depth`
    items ahead of the caller: PostgreSQL answers the next chunk's queries while the caller
    works on this one (psycopg2 lets go of the GIL while it waits). For reading long exports
    of committed data: inside a transaction (a test, or an atomic block) another connection
    would not see its rows, so the items are read in this thread, as they are on SQLite."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield from items()
        return
    ready: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any, error: BaseException | None = None) -> bool:
        while not stop.is_set():
            try:
                ready.put((item, error), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items():
                if not put(item):
                    return
            put(_END)
        except BaseException as error:  # handed to the caller, raised there
            put(_END, error)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ready.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()
