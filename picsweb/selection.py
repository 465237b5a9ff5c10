"""Server-side selection for bulk actions on any list: ticked rows or "all N matching"."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from picsweb.errors import UserError

M = TypeVar("M", bound=Model)


class SelectionError(UserError):
    """A problem the user can act on (picsweb.errors.UserError)."""


def resolve_selection(
    *,
    filtered: QuerySet[M],
    codes: list[str],
    select_all: str | None,
    noun: tuple[str, str] = ("learner", "learners"),
) -> tuple[QuerySet[M], int]:
    """The rows a bulk action acts on, and how many: the ticked ones (looked up inside the
    filtered list, so a crafted code from elsewhere matches nothing), or "all N matching",
    refused when N changed since the list was shown."""
    singular, plural = noun
    if select_all is not None:
        try:
            expected = int(select_all)
        except ValueError:
            raise SelectionError("The selection was not understood. Please choose again.") from None
        count = filtered.count()
        if count != expected:
            raise SelectionError(
                f"The {plural} matching your filters changed from {expected:,} to {count:,} "
                "since the list was shown. Nothing was started: check the list and choose again."
            )
        return filtered, count
    if not codes:
        raise SelectionError(f"Tick at least one {singular}, or select all {plural} matching.")
    chosen = filtered.filter(code__in=codes)
    count = chosen.count()
    if count != len(set(codes)):
        raise SelectionError(
            f"Some of the ticked {plural} are no longer in this list. Nothing was started: "
            "check the list and choose again."
        )
    return chosen, count
