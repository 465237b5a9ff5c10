"""Changes to a learner's record from its pages: each saved with who and how in its history
(django-simple-history: the user from the request, the reason given here), and New Learner,
which makes the learner, their first employment status, an episode and the programme aim in
one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Model

from learners.as_cohort import as_cohort_build
from learners.models import (
    EmploymentStatus,
    Episode,
    Learner,
    LearningDelivery,
    Provider,
    ident_for,
    ident_number,
)
from learners.record import Missing

FORM_REASON = "Changed on the learner's record"
NEW_REASON = "New Learner"


def record_save(obj: Model, *, reason: str = FORM_REASON) -> None:
    """Saves a learner, employment status or aim, its history row saying how."""
    obj._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
    obj.save()


def _next_ident(provider: Provider) -> str:
    """The provider's next episode IDENT; the provider row is locked while it is taken."""
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    last = Episode.objects.filter(provider=provider).order_by("-ident").first()
    return ident_for(ident_number(last.ident) + 1 if last else 1)


@dataclass
class NewLearner:
    learner: Learner
    employment: EmploymentStatus
    aim: LearningDelivery | None


def learner_create(
    *,
    provider: Provider,
    learner: Learner,
    employment: EmploymentStatus,
    aim: LearningDelivery | None,
) -> NewLearner:
    """New Learner: the unsaved records from its three forms, saved together."""
    with transaction.atomic():
        learner.provider = provider
        record_save(learner, reason=NEW_REASON)
        employment.learner = learner
        record_save(employment, reason=NEW_REASON)
        if aim is not None:
            episode = Episode.objects.create(
                provider=provider,
                learner=learner,
                ident=_next_ident(provider),
                start_date=aim.start_date,
            )
            aim.episode = episode
            aim.aim_ref = "ZPROG001"
            aim.aim_type = LearningDelivery.AimType.PROGRAMME
            record_save(aim, reason=NEW_REASON)
    return NewLearner(learner, employment, aim)


def as_cohort_missing(learner: Learner, today: date) -> list[Missing]:
    """What the AS cohort export still needs of this learner (its own rules, run on one)."""
    export = as_cohort_build(learners=Learner.objects.filter(pk=learner.pk), today=today)
    return [
        Missing(str(reason), getattr(reason, "field", ""))
        for exclusion in export.exclusions
        for reason in exclusion.reasons
    ]


# History -------------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: Any
    who: str
    how: str
    what: str
    kind: str  # "Created", "Changed", "Deleted"
    changes: list[tuple[str, str, str]]  # (field label, before, after)


_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
_SKIP = {"id", "code", "learner", "provider", "history_id", "history_date", "history_user"}


def _shown(model: type[Model], name: str, value: Any) -> str:
    field = model._meta.get_field(name)
    if value is None or value == "":
        return "–"
    related = getattr(field, "related_model", None)
    if related is not None:
        found = related._default_manager.filter(pk=value).first()
        return str(found) if found is not None else "(since deleted)"
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _label(model: type[Model], name: str) -> str:
    label = str(getattr(model._meta.get_field(name), "verbose_name", name))
    return label[:1].upper() + label[1:]


def learner_history(learner: Learner, *, limit: int = 200) -> list[HistoryEntry]:
    """Every recorded change to the learner, their employment statuses and aims, newest first,
    each with what changed from what to what."""
    parts: list[tuple[type[Model], Any, Any]] = [
        (Learner, Learner.history.filter(id=learner.pk), lambda r: "Learner details"),
        (
            EmploymentStatus,
            EmploymentStatus.history.filter(learner_id=learner.pk),
            lambda r: f"Employment status from {r.date_applies:%d/%m/%Y}",
        ),
        (
            LearningDelivery,
            LearningDelivery.history.filter(learner_id=learner.pk),
            lambda r: f"Aim {r.aim_ref}",
        ),
    ]
    entries: list[HistoryEntry] = []
    for model, rows, what in parts:
        fields = [  # what the history keeps (not, e.g., created_batch)
            (f.name, f.attname)
            for f in model.history.model.tracked_fields  # type: ignore[attr-defined]
            if f.name not in _SKIP and f.name not in ("created_at", "updated_at")
        ]
        previous: dict[Any, Any] = {}
        for row in rows.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(row.id)
            changes = []
            for name, attname in fields:
                after_value = getattr(row, attname)
                before_value = getattr(before, attname) if before is not None else None
                if before is None and row.history_type == "+":
                    if after_value not in (None, ""):
                        changes.append((_label(model, name), "–", _shown(model, name, after_value)))
                elif before is not None and before_value != after_value:
                    changes.append(
                        (
                            _label(model, name),
                            _shown(model, name, before_value),
                            _shown(model, name, after_value),
                        )
                    )
            previous[row.id] = row
            if row.history_type == "~" and not changes:
                continue  # saved without a change
            user: AbstractBaseUser | AnonymousUser | None = row.history_user
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=user.get_username() if user is not None else "System",
                    how=row.history_change_reason or "",
                    what=what(row),
                    kind=_KINDS.get(row.history_type, row.history_type),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
