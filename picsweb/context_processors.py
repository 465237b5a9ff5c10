from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from picsweb import navigation as nav_registry
from picsweb.access import request_access


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's links: the pages the user's roles open, and the admin for admins."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_admin": False, "nav_roles": set(), "nav_jobs": False}
    access = request_access(request)
    roles = access.roles()
    return {
        "nav_items": nav_registry.items_for(roles),
        "nav_admin": access.may_enter_admin,
        "nav_roles": {role.value for role in roles},  # menus: "learner_manager" in nav_roles
        # Jobs are started by members with a role; a portal learner (no role) has none.
        "nav_jobs": bool(roles),
    }
