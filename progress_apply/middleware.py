"""A portal learner with an issued password must choose their own before anything else
(seed 003 §5.1, §7.5). The log-in marks the session (progress_apply.apps), so other users'
requests cost nothing here."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

MUST_CHANGE_SESSION_KEY = "portal_must_change_password"


class FirstLogInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_SESSION_KEY):
            allowed = (reverse("progress_apply:first-login"), reverse("logout"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("progress_apply:first-login")
        return self.get_response(request)
