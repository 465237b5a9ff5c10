"""Writing many rows fast: COPY on PostgreSQL, bulk_create / bulk_update elsewhere.

Used where thousands of rows are written at once (imports, demo data). Rows are dicts of
field name -> Python value; defaults (callables, auto_now) are filled in as Django would.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.utils import timezone


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return '"' + json.dumps(value).replace('"', '""') + '"'
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    return "\\N" if value is None else '"' + value.replace('"', '""') + '"'


def _plain(value: Any) -> str:
    return "\\N" if value is None else str(value)


def _iso(value: Any) -> str:
    return "\\N" if value is None else value.isoformat()


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], str]:
    """How one column's values are written for COPY (chosen once per column)."""
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField", "EmailField", "SlugField", "URLField"):
        return _text
    if kind in ("DateField", "DateTimeField"):
        return _iso
    if kind in (
        "ForeignKey",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "DecimalField",
        "AutoField",
        "BigAutoField",
        "UUIDField",
    ):
        return _plain
    return _copy_value


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def _default_for(field: models.Field[Any, Any], now: datetime) -> Callable[[], Any]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: now
    if field.has_default() and callable(field.default):
        return field.default
    constant = field.get_default()
    return lambda: constant


def _field_values(
    model: type[models.Model], rows: list[dict[str, Any]]
) -> tuple[list[models.Field[Any, Any]], list[list[Any]]]:
    """Each row as a list of column values, in field order, with the fields a row lacks
    filled as Django would (defaults, auto_now)."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters: list[Callable[[dict[str, Any]], Any]] = []
    for field in fields:
        attname, name = field.attname, field.name
        default = _default_for(field, now)

        def get(row: dict[str, Any], attname=attname, name=name, default=default) -> Any:  # type: ignore[no-untyped-def]
            if attname in row:
                return row[attname]
            if name in row:
                value = row[name]
                return value.pk if isinstance(value, models.Model) else value
            return default()

        getters.append(get)
    return fields, [[get(row) for get in getters] for row in rows]


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """INSERTs the rows (no primary keys returned). Returns how many."""
    rows = list(rows)
    if not rows:
        return 0
    fields, values = _field_values(model, rows)
    if connection.vendor != "postgresql":
        names = [f.attname for f in fields]
        model._default_manager.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in values], batch_size=1000
        )
        return len(rows)
    converters = [_converter(f) for f in fields]
    buffer = io.StringIO()
    for row in values:
        buffer.write(",".join([convert(v) for convert, v in zip(converters, row, strict=True)]))
        buffer.write("\n")
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) "
            "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    return len(rows)


def update_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], fields: list[str]
) -> int:
    """UPDATEs `fields` of the rows, each a dict with "id" and those fields."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        objects = [model(**{"id": row["id"], **{f: row[f] for f in fields}}) for row in rows]
        model._default_manager.bulk_update(objects, fields, batch_size=500)
        return len(rows)
    columns = [f.column for f in _columns(model, fields)]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = [connection.ops.quote_name(c) for c in columns]
    buffer = io.StringIO()
    for row in rows:
        buffer.write(",".join(_copy_value(v) for v in [row["id"], *(row[f] for f in fields)]))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE picsweb_bulk_update ON COMMIT DROP AS "  # noqa: S608
            f"SELECT id, {', '.join(quoted)} FROM {table} WITH NO DATA"
        )
        cursor.copy_expert(
            f"COPY picsweb_bulk_update (id, {', '.join(quoted)}) "
            "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
        assignments = ", ".join(f"{q} = u.{q}" for q in quoted)
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM picsweb_bulk_update u "  # noqa: S608
            f"WHERE {table}.id = u.id"
        )
        cursor.execute("DROP TABLE picsweb_bulk_update")
    return len(rows)


def insert_objects(objects: Sequence[models.Model]) -> int:
    """insert_rows for unsaved model instances (their primary keys stay unset)."""
    if not objects:
        return 0
    model = type(objects[0])
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not getattr(f, "auto_now", False)  # filled in by insert_rows, as save() would
        and not getattr(f, "auto_now_add", False)
    ]
    return insert_rows(model, ({name: getattr(obj, name) for name in names} for obj in objects))


def insert_history(
    records: models.QuerySet[Any], *, history_type: str, user_id: int | None, reason: str
) -> None:
    """The django-simple-history rows of records written in bulk (which send no signals):
    one INSERT … SELECT copies the records' tracked columns as they are now (for "-", just
    before their deletion) into the history table, so 100,000 records cost no Python
    objects. `history_type` is "+", "~" or "-"."""
    model = records.model
    historical = model.history.model
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in historical.tracked_fields]
    try:
        inner, params = records.values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. id__in=[]: nothing to record
        return
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(columns)}, "  # noqa: S608
        "history_date, history_type, history_user_id, history_change_reason) "
        f"SELECT {', '.join('t.' + c for c in columns)}, %s, %s, %s, %s "
        f"FROM {quote(model._meta.db_table)} t WHERE t.{quote(model._meta.pk.column)} IN ({inner})"
    )
    # The library's reason column is 100 characters.
    extra: list[Any] = [timezone.now(), history_type, user_id, reason[:100]]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*extra, *params])
