"""The plan's codec: accepted changes are written at validation as JSON lines and read back
by the apply job (dates, decimals and datetimes kept as they were)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


def to_json(value: Any) -> Any:
    """Plan values as JSON: dates, datetimes and decimals tagged so they come back as such."""
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    return value


def json_default(value: Any) -> Any:
    """For json.dumps(default=...): called only for what JSON has no type for."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"{type(value).__name__} cannot go into an import plan")


def _json_hook(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$decimal" in value:
            return Decimal(value["$decimal"])
    return value


def from_json(text: str | bytes) -> Any:
    return json.loads(text, object_hook=_json_hook)


def from_json_value(value: Any) -> Any:
    """Like from_json, for a value already parsed (a JSONField's)."""
    if isinstance(value, dict):
        decoded = {key: from_json_value(item) for key, item in value.items()}
        return _json_hook(decoded)
    if isinstance(value, list):
        return [from_json_value(item) for item in value]
    return value
