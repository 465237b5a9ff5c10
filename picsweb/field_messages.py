"""Errors about one field of the page a user is sent back to (a redirect after a POST, such
as a bulk action with nothing selected). They travel as Django messages, tagged with the id of
the element they belong to, and are drawn as GOV.UK's error pattern — the error summary at the
top of the page linking to the field, and the message beside it — never as a banner. Other
messages stay banners.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest

FIELD_TAG = "field:"


def field_error(request: HttpRequest, field_id: str, message: str) -> None:
    """Show `message` as the error of the element `field_id` on the next page."""
    messages.error(request, message, extra_tags=FIELD_TAG + field_id)


class PageMessages:
    """The request's messages, read only when a template asks (reading them uses them up)."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def _all(self) -> list[Message]:
        return list(messages.get_messages(self._request))

    @cached_property
    def field_errors(self) -> list[tuple[str, str]]:
        """(element id, message) of each field error, in order."""
        return [
            (m.extra_tags.removeprefix(FIELD_TAG), str(m))
            for m in self._all
            if m.extra_tags.startswith(FIELD_TAG)
        ]

    @cached_property
    def banners(self) -> list[Message]:
        return [m for m in self._all if not m.extra_tags.startswith(FIELD_TAG)]

    def error_for(self, field_id: str) -> str:
        return next((text for found, text in self.field_errors if found == field_id), "")
