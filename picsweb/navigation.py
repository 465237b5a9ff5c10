"""The main navigation. Each app registers its pages with the role they need (in its
AppConfig.ready), so the home page and the header show only what the user's roles allow."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, QueryDict

from picsweb.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    role: Role
    description: str


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)


def items_for(roles: set[Role]) -> list[NavItem]:
    """The pages `roles` open, each page once (several roles may share one home page: the
    first registered names it)."""
    found: dict[str, NavItem] = {}
    for item in _ITEMS:
        if item.role in roles:
            found.setdefault(item.url_name, item)
    return list(found.values())


def list_query(request: HttpRequest, default: str) -> str:
    """The query string of the list a page was opened from (its `back` parameter, re-encoded
    so only a query string goes back into a link), else `default`: filters and page survive a
    visit to a record and a save."""
    raw = request.GET.get("back", "")
    if not raw:
        return default
    return QueryDict(raw[:2000]).urlencode() or default
