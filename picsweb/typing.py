from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

AnyUser = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request a @login_required view receives."""

    user: User
