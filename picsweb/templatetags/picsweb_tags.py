from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm, BaseFormSet
from django.template import Context

from picsweb.field_messages import PageMessages

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


def _has_errors(value: Any) -> bool:
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and (bool(value.non_form_errors()) or any(value.errors))
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context: Context) -> str:
    """ "Error: " before the title of a page that shows errors (GOV.UK's error summary
    pattern): any bound form or formset on the page with errors, or `page_errors` set by a view
    whose errors come from elsewhere (such as nothing selected for a bulk action)."""
    flat = context.flatten()
    shown = flat.get("page_messages")
    if flat.get("page_errors") or (isinstance(shown, PageMessages) and shown.field_errors):
        return "Error: "
    if any(_has_errors(value) for value in flat.values()):
        return "Error: "
    return ""


@register.filter
def field_error(shown: PageMessages | None, field_id: str) -> str:
    """The error sent back for the element `field_id` (picsweb.field_messages), or ""."""
    return shown.error_for(field_id) if shown is not None else ""
