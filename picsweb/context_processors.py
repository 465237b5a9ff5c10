from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from picsweb import navigation as nav_registry
from picsweb.access import request_access
from picsweb.field_messages import PageMessages


def page_messages(request: HttpRequest) -> dict[str, Any]:
    """The messages split into banners and field errors (picsweb.field_messages)."""
    return {"page_messages": PageMessages(request)}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's links: the pages the user's roles open, and the admin for admins."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_items": [],
            "nav_links": [],
            "nav_admin": False,
            "nav_roles": set(),
            "nav_jobs": False,
        }
    access = request_access(request)
    roles = access.roles()
    items = nav_registry.items_for(roles)
    links = [("Home", reverse("home"))]
    links += [(item.label, reverse(item.url_name)) for item in items]
    if roles:
        links.append(("My jobs", reverse("jobs:list")))
    if access.may_enter_admin:
        links.append(("Administration", reverse("admin:index")))
    return {
        "nav_items": items,
        # The header's links, the current one marked (aria-current).
        "nav_links": nav_registry.nav_links(request.path, links),
        "nav_admin": access.may_enter_admin,
        "nav_roles": {role.value for role in roles},  # menus: "learner_manager" in nav_roles
        # Jobs are started by members with a role; a portal learner (no role) has none.
        "nav_jobs": bool(roles),
    }
