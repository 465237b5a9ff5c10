"""Sign-in protection. django-axes locks an account after LOGIN_FAILURE_LIMIT wrong passwords
(settings.AXES_*) until a superuser unlocks it or its password is reset; password reset emails
are limited per address and per client, and the page says the same either way."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The client's address: behind the TLS proxy, the one it appended to X-Forwarded-For
    (earlier entries are the client's to forge); else the socket's."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[-1].strip())
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The name django-axes counts failures under: usernames match ignoring case (staff and
    portal learners alike), so "BLearner" and "blearner" share one count."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return str(username or "").lower()


def account_unlock(*, username: str) -> None:
    """Clears django-axes' failures for the account, which unlocks it."""
    axes_reset(username=username.lower())


def _count_within_limit(*, kind: str, value: str, limit: int) -> bool:
    """Counts one more use of `value` in the current window; False once over `limit`. The
    cache key holds a hash, not the address itself."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    key = f"account-email:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def email_within_rate_limit(request: HttpRequest, email: str, *, purpose: str) -> bool:
    """Counts one more account email of `purpose` (password reset, username reminder) asked
    for this address from this client; False once either is over its limit."""
    by_client = _count_within_limit(
        kind=f"{purpose}:client",
        value=client_ip(request),
        limit=settings.PASSWORD_RESET_LIMIT_PER_CLIENT,
    )
    by_address = _count_within_limit(
        kind=f"{purpose}:address",
        value=email.strip().lower(),
        limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
    )
    return by_client and by_address


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        if email_within_rate_limit(self.request, form.cleaned_data["email"], purpose="reset"):
            return super().form_valid(form)
        logger.info("password reset email held back by the rate limit")
        return HttpResponseRedirect(self.get_success_url())


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the emailed link also unlocks the account."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        account_unlock(username=form.user.get_username())
        return response
