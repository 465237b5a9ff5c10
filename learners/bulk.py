"""Bulk actions on the learner list (seed 000's "Update All"; on the page "With selected
learners", or, when only one applies, a button named for it such as "Download selected as
CSV"). Each app registers its actions with the role they need and the filters that must be in
use; the list offers only those that apply.

The selection is resolved on the server: ticked learners are looked up inside the filtered
list of the user's provider (a crafted code of another provider's learner matches nothing),
and "all N matching" re-runs the filter and refuses to start when N has changed since the
user saw it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http.response import HttpResponseBase

from learners.models import Learner, Provider, Role


@dataclass(frozen=True)
class Selection:
    """What the user chose on the list, resolved inside their provider (no request: an
    action may run outside one)."""

    user: User
    provider: Provider
    learners: QuerySet[Learner]
    count: int
    filters: dict[str, object]


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: str
    role: Role
    run: Callable[[Selection], HttpResponseBase]
    # At least one of these filters must be in use for the action to be offered (seed 000:
    # the AS cohort export appears only with the AS Agreement ID or AS Cohort filter).
    requires_any_filter: Sequence[str] = ()
    # Why the action is not offered yet, shown with it disabled until those filters are used.
    needs_filter_reason: str = ""

    def applies(self, roles: set[Role], filters_in_use: set[str]) -> bool:
        if self.role not in roles:
            return False
        return not self.requires_any_filter or bool(filters_in_use & set(self.requires_any_filter))


_ACTIONS: dict[str, BulkAction] = {}


def register(action: BulkAction) -> BulkAction:
    _ACTIONS[action.name] = action
    return action


def actions_for(roles: set[Role], filters_in_use: set[str]) -> list[BulkAction]:
    return [a for a in _ACTIONS.values() if a.applies(roles, filters_in_use)]


def unavailable_for(roles: set[Role], filters_in_use: set[str]) -> list[BulkAction]:
    """Actions the user's role allows that wait for a filter: shown disabled, with the reason."""
    return [
        a
        for a in _ACTIONS.values()
        if a.role in roles and a.needs_filter_reason and not a.applies(roles, filters_in_use)
    ]


def get_action(name: str) -> BulkAction | None:
    return _ACTIONS.get(name)
