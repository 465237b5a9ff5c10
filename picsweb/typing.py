from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

if TYPE_CHECKING:
    from picsweb.access import Access

AnyUser = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request a @login_required view receives."""

    user: User
    access: Access  # set by picsweb.access.AccessMiddleware
