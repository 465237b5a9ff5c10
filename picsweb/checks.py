"""picsweb's own `manage.py check --deploy` checks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

_TO_THE_LOG = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


@register(Tags.security, deploy=True)
def email_goes_somewhere(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Without EMAIL_HOST, emails are written to the process's output: in production that is
    the server's log, and a password reset email carries a link that signs its reader in."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in _TO_THE_LOG:
        return []
    return [
        Warning(
            "Emails are written to the log instead of being sent, links in them included "
            "(a password reset link signs in whoever reads it).",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "EMAIL_USE_TLS) to send them by SMTP.",
            id="picsweb.W001",
        )
    ]
