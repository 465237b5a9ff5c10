from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some keys set (or removed when given None/"")."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_adding(context: dict[str, Any], key: str, value: str) -> str:
    """The current query string with one more value for a repeatable key (page reset)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if value not in query.getlist(key):
        query.appendlist(key, value)
    return f"?{query.urlencode()}"
