"""The bound on every search box (pages and admin): SEARCH_MAX_CHARS characters and
SEARCH_MAX_WORDS words, so no search can hold a web worker or the database."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError


def search_refusal(value: str) -> str | None:
    """Why `value` is too long to search for, or None."""
    if len(value.split()) > settings.SEARCH_MAX_WORDS:
        return f"Search for at most {settings.SEARCH_MAX_WORDS} words: a name, an LRN or a ULN"
    if len(value) > settings.SEARCH_MAX_CHARS:
        return f"Search for at most {settings.SEARCH_MAX_CHARS} characters: a name, an LRN or a ULN"
    return None


def validate_search(value: str) -> None:
    """The bound as a form validator (a filter's search box)."""
    refusal = search_refusal(value)
    if refusal:
        raise ValidationError(refusal, code="search_too_long")
