"""Request-wide protections: oversize bodies refused before they are read, and the security
headers every response carries."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Scripts and styles come from our own static files only (no inline <script>/style=""); the
# favicon is a data: URL.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)


class RequestSizeLimitMiddleware:
    """Refuses a body larger than REQUEST_MAX_BODY_BYTES from its Content-Length, before a
    byte of it is read (Django would otherwise spool the whole upload to disk first, then
    refuse it at the import form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BODY_BYTES:
            megabytes = settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
            page = render_to_string("413.html", {"megabytes": megabytes})
            response = HttpResponse(page, status=413)
            # The unread body is still on the way: end the connection rather than read it.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (static files too:
    it sits before WhiteNoise), and `Cache-Control: no-store` on everything a signed-in user
    is sent, as pages and downloads carry personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class StatementTimeoutMiddleware:
    """A request whose query PostgreSQL cancelled (DB_STATEMENT_TIMEOUT_MS) gets a plain page
    asking to narrow the request, not a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        cause = getattr(exception, "__cause__", None)
        if isinstance(exception, OperationalError) and type(cause).__name__ == "QueryCanceled":
            return HttpResponse(render_to_string("503-timeout.html"), status=503)
        return None
