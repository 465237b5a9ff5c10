"""The one base of every error whose message is written for the user.

Raise a subclass with a plain sentence the user can act on; views catch `UserError` once and
show `error.message`, commands print it, jobs store and email it. Anything else that
goes wrong is a bug: logged with a reference, never shown.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can act on; `message` is shown to them as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
