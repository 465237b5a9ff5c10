from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from picsweb import navigation as nav_registry
from picsweb.access import is_admin_user, user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's links: the pages the user's roles open, and the admin for admins."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_admin": False}
    return {
        "nav_items": nav_registry.items_for(user_roles(user)),
        "nav_admin": is_admin_user(user),
    }
