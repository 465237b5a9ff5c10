"""The main navigation. Each app registers its pages with the role they need (in its
AppConfig.ready), so the home page and the header show only what the user's roles allow."""

from __future__ import annotations

from dataclasses import dataclass

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
