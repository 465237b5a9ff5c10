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


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    current: str  # aria-current: "page" on the page itself, "true" within its section, else ""


def nav_links(path: str, links: list[tuple[str, str]]) -> list[NavLink]:
    """The header's links (label, href), each marked current for `path`: the link to this very
    page is the current page; else the link whose address is the longest start of it marks the
    section the page is in (the home page is only ever itself)."""
    section = max(
        (href for _, href in links if href != "/" and path.startswith(href)), key=len, default=""
    )
    return [
        NavLink(label, href, "page" if href == path else "true" if href == section and href else "")
        for label, href in links
    ]


def list_query(request: HttpRequest, default: str) -> str:
    """The query string of the list a page was opened from (its `back` parameter, re-encoded
    so only a query string goes back into a link), else `default`: filters and page survive a
    visit to a record and a save."""
    raw = request.GET.get("back", "")
    if not raw:
        return default
    return QueryDict(raw[:2000]).urlencode() or default
