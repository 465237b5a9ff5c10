"""The Learner Import (issue 17 §4) as a spec of the shared import pipeline.

Each row adds or updates a learner of the chosen provider, matched by LRN (never another
provider's learner), and the learner's employment status as at a date: a status with the same
date as one the learner has updates it, else one is added. The columns are
learners/columns.py; every rule is a model field's validator or a learners.identifiers rule,
the ones the edit forms use. On an update a blank cell leaves the value as it is, so the
learner download re-imports unchanged and a file of a few columns changes only those.

Apply: new learners and statuses point to their ImportBatch (`created_batch`); each existing
learner the file changes has one BatchChange holding what it replaced (its own fields and its
status's); history rows (django-simple-history) record the owner and "Import <file>", and Undo
"Undo import <file>".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models import F, Model, Q
from django.utils import timezone

from learners import identifiers
from learners.as_cohort import as_email_problem, as_text_problem
from learners.columns import (
    AGREEMENT_ID,
    COLUMNS,
    DATE_OF_BIRTH,
    EMPLOYER,
    EMPLOYMENT_COLUMNS,
    EMPLOYMENT_DATE,
    EMPLOYMENT_STATUS,
    ETHNICITY,
    EXAMPLE_ROW,
    FAMILY_NAME,
    GIVEN_NAMES,
    LEARNER_COLUMNS,
    LRN,
    NI_NUMBER,
    POSTCODE,
    POSTCODE_PRIOR,
    READ_ONLY_COLUMNS,
    SEX,
    ULN,
)
from learners.models import (
    EmploymentStatus,
    Learner,
    Organisation,
    Provider,
    Role,
    agreement_status_problem,
    date_of_birth_problem,
)
from picsweb.bulk import insert_history, insert_rows, update_rows
from picsweb.imports.cells import CellError, as_date, as_text, display
from picsweb.imports.pipeline import (
    Change,
    ImportSpec,
    Problem,
    Row,
    StaleImportError,
    UndoRefused,
    from_json_value,
    register_import,
    to_json,
)
from picsweb.imports.reading import Cell, ImportFileError
from picsweb.models import BatchChange, ImportBatch

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What an update may change: every learner column but the LRN, which finds the learner.
LEARNER_FIELDS = [f for c, f in LEARNER_COLUMNS.items() if c != LRN]
STATUS_FIELDS = ["status", "employer_id", "as_agreement_id"]
_COLUMN_OF = {f: c for c, f in LEARNER_COLUMNS.items()} | {
    "status": EMPLOYMENT_STATUS,
    "employer_id": EMPLOYER,
    "as_agreement_id": AGREEMENT_ID,
}
_SEXES = {"F": "F", "M": "M", "FEMALE": "F", "MALE": "M"}
_ETHNICITIES = {str(v): v for v in Learner.Ethnicity.values} | {
    str(label).casefold(): value for value, label in Learner.Ethnicity.choices
}
_STATUSES = {str(v): v for v in EmploymentStatus.Status.values} | {
    str(label).casefold(): value for value, label in EmploymentStatus.Status.choices
}


@dataclass
class Context:
    provider: Provider
    owner_id: int | None = None
    learners: dict[str, dict[str, Any]] = field(default_factory=dict)  # LRN -> record
    statuses: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # learner id ->
    employers: dict[str, tuple[int, bool]] = field(default_factory=dict)  # PICS ID -> id
    erns: dict[str, list[tuple[int, bool]]] = field(default_factory=dict)
    employer_names: dict[int, str] = field(default_factory=dict)  # id -> PICS ID
    seen: dict[str, int] = field(default_factory=dict)  # LRN -> first row with it


@cache
def _field_rules(model: type[Model], name: str) -> tuple[int | None, list[Callable[[Any], None]]]:
    """A model field's length and its own validators (the length one is checked by hand, so
    its message can say what to do), found once: run for every cell of 100,000 rows."""
    model_field = model._meta.get_field(name)
    limit = getattr(model_field, "max_length", None)
    rules = [
        v
        for v in model_field.validators  # type: ignore[union-attr]
        if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
    ]
    return limit, rules


def _validated(model: type[Model], name: str, column: str, text: str) -> str:
    """`text` through the model field's own rules (length, validators): the edit forms'."""
    limit, rules = _field_rules(model, name)
    if limit is not None and len(text) > limit:
        raise CellError(
            f"{column} can be at most {limit} characters ({len(text)} given): shorten it."
        )
    try:
        for rule in rules:
            rule(text)
    except ValidationError as error:
        raise CellError(f"{column}: {' '.join(error.messages)}") from None
    return text


def _text(name: str, column: str) -> Callable[[Cell], Any]:
    """Free text: a line end is one new line, as the learner form stores it (PlainTextMixin)."""
    return lambda value: _validated(
        Learner, name, column, as_text(value).replace("\r\n", "\n").strip()
    )


def _uln(value: Cell) -> str:
    text = as_text(value).strip()
    problem = None if text == identifiers.TEMPORARY_ULN else identifiers.uln_problem(text)
    if problem:
        raise CellError(
            f"{problem} Check the ULN, or give {identifiers.TEMPORARY_ULN} (the temporary ULN) "
            "until it is known."
        )
    return _validated(Learner, "uln", ULN, text)


def _upn(value: Cell) -> str:
    text = as_text(value).strip().upper()
    problem = identifiers.upn_problem(text)
    if problem:
        raise CellError(f"{problem} Check the UPN, or leave it blank.")
    return text.replace(" ", "")


def _ni_number(value: Cell) -> str:
    text = identifiers.normalise_ni_number(as_text(value))
    problem = identifiers.ni_number_problem(text) if text else None
    if problem:
        raise CellError(f"{problem} Check it, or leave it blank.")
    return text


def _postcode(name: str, column: str) -> Callable[[Cell], Any]:
    def parse(value: Cell) -> str:
        text = identifiers.normalise_postcode(as_text(value))
        problem = identifiers.postcode_problem(text)
        if problem:
            raise CellError(
                f"{column}: {problem} Give a full UK postcode such as LS6 2AB, or "
                f"{identifiers.UNKNOWN_POSTCODE} when it is not known."
            )
        return _validated(Learner, name, column, text)

    return parse


def _date(column: str) -> Callable[[Cell], Any]:
    def parse(value: Cell) -> Any:
        try:
            return as_date(value)
        except CellError as error:
            raise CellError(f"{column}: {error.message}") from None

    return parse


def _sex(value: Cell) -> str:
    text = as_text(value).strip().upper()
    if text not in _SEXES:
        raise CellError("Sex is F (female) or M (male).")
    return _SEXES[text]


def _choice(choices: dict[str, int], message: str) -> Callable[[Cell], int]:
    def parse(value: Cell) -> int:
        text = as_text(value).strip()
        found = choices.get(text) or choices.get(text.casefold())
        if found is None:
            raise CellError(message)
        return found

    return parse


_ETHNICITY_CODES = ", ".join(str(v) for v in Learner.Ethnicity.values)
_STATUS_CODES = ", ".join(str(v) for v in EmploymentStatus.Status.values)
PARSERS: dict[str, Callable[[Cell], Any]] = {
    LRN: lambda value: _validated(Learner, "lrn", LRN, as_text(value).strip()),
    ULN: _uln,
    "UPN": _upn,
    NI_NUMBER: _ni_number,
    DATE_OF_BIRTH: _date(DATE_OF_BIRTH),
    SEX: _sex,
    ETHNICITY: _choice(
        _ETHNICITIES,
        f"Give the ILR ethnicity code ({_ETHNICITY_CODES}) or its name as in Tips.",
    ),
    POSTCODE: _postcode("postcode", POSTCODE),
    POSTCODE_PRIOR: _postcode("postcode_prior", POSTCODE_PRIOR),
    EMPLOYMENT_DATE: _date(EMPLOYMENT_DATE),
    EMPLOYMENT_STATUS: _choice(
        _STATUSES, f"Give the employment status code ({_STATUS_CODES}) or its name as in Tips."
    ),
    AGREEMENT_ID: lambda value: _validated(  # upper-cased, as the status form does
        EmploymentStatus, "as_agreement_id", AGREEMENT_ID, as_text(value).strip().upper()
    ),
}
for _column, _name in LEARNER_COLUMNS.items():
    PARSERS.setdefault(_column, _text(_name, _column))

# The rules the learner form applies beyond the fields' own (the AS export's, shared through
# learners.as_cohort and learners.models): checked on a new learner's values and on the values
# an update changes, so a value recorded before a rule existed still re-imports unchanged.
RULES: dict[str, Callable[[Any], str | None]] = {
    "lrn": lambda value: as_text_problem(LRN, value),
    "given_names": lambda value: as_text_problem(GIVEN_NAMES, value),
    "family_name": lambda value: as_text_problem(FAMILY_NAME, value),
    "as_cohort_code": lambda value: as_text_problem("AS cohort code", value),
    "email": as_email_problem,
    "date_of_birth": lambda value: date_of_birth_problem(value, timezone.localdate()),
}


def _rule_problems(row: Row, values: dict[str, Any]) -> list[Problem]:
    problems = []
    for name, value in values.items():
        problem = RULES[name](value) if name in RULES else None
        if problem:
            column = _COLUMN_OF[name]
            problems.append(Problem(row.number, column, display(value), problem))
    return problems


class LearnerImport(ImportSpec):
    kind = "learners"
    label = "Learner Import"
    role = Role.EDIT_LEARNERS

    def columns(self, provider: Provider) -> list[str]:
        return [*COLUMNS, *READ_ONLY_COLUMNS]

    def check_columns(self, present: set[str], provider: Provider) -> None:
        if LRN not in present:
            raise ImportFileError(
                f"The header row has no {LRN} column: each row needs the learner reference "
                f"number. The columns are: {', '.join(COLUMNS)}."
            )

    def begin_for(self, provider: Provider, owner: User | None) -> Context:
        ctx = Context(provider, owner.pk if owner is not None else None)
        organisations = Organisation.objects.filter(provider=provider)
        for pk, pics_id, ern, is_employer in organisations.values_list(
            "id", "pics_id", "ern", "is_employer"
        ):
            ctx.employers[pics_id.upper()] = (pk, is_employer)
            ctx.employer_names[pk] = pics_id
            if ern:
                ctx.erns.setdefault(ern, []).append((pk, is_employer))
        return ctx

    def preload(self, context: Any, rows: Sequence[Row]) -> None:
        ctx: Context = context
        lrns = set()
        for row in rows:
            with suppress(CellError):  # a date where the LRN should be: the row's problem
                lrns.add(as_text(row.get(LRN)).strip())  # as validate reads it (XLSX numbers)
        ctx.learners = {}  # a chunk's learners only: memory stays flat over 100,000 rows
        ctx.statuses = {}
        found = Learner.objects.filter(provider=ctx.provider, lrn__in=lrns).values(
            "id", "lrn", "updated_at", *LEARNER_FIELDS
        )
        for record in found:
            ctx.learners[record["lrn"]] = record
        ids = [r["id"] for r in ctx.learners.values()]
        for status in EmploymentStatus.objects.filter(learner_id__in=ids).values(
            "id", "learner_id", "date_applies", *STATUS_FIELDS
        ):
            ctx.statuses.setdefault(status["learner_id"], []).append(status)

    def _employer(self, ctx: Context, value: Cell) -> int:
        text = as_text(value).strip()
        match = ctx.employers.get(text.upper())
        if match is None:
            by_ern = ctx.erns.get(text, [])
            if len(by_ern) > 1:
                raise CellError(
                    f"Several organisations of {ctx.provider.name} have the ERN {text}: give the "
                    "PICS Organisation Identifier instead."
                )
            match = by_ern[0] if by_ern else None
        if match is None:
            raise CellError(
                f"No organisation of {ctx.provider.name} has the PICS Organisation Identifier or "
                f"ERN {text!r}: correct it, or add the employer to the provider's organisations."
            )
        if not match[1]:
            raise CellError(
                f"The organisation {text} is not marked as an employer: correct the Employer, or "
                "mark the organisation as an employer."
            )
        return match[0]

    def validate(self, context: Any, row: Row) -> Change | list[Problem]:
        ctx: Context = context
        problems: list[Problem] = []

        def cell(column: str, parse: Callable[[Cell], Any]) -> Any:
            raw = row.get(column)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                return None
            try:
                return parse(raw)
            except CellError as error:
                problems.append(Problem(row.number, column, display(raw), error.message))
                return None

        lrn = cell(LRN, PARSERS[LRN])
        if lrn is None and not problems:
            problems.append(
                Problem(row.number, LRN, "", "Give the learner reference number (LRN).")
            )
        given: dict[str, Any] = {}
        for column, name in LEARNER_COLUMNS.items():
            if column != LRN and row.has(column):
                value = cell(column, PARSERS[column])
                if value is not None:
                    given[name] = value
        job: dict[str, Any] = {}
        for column, name in EMPLOYMENT_COLUMNS.items():
            if row.has(column):
                employer = lambda v: self._employer(ctx, v)  # noqa: E731
                value = cell(column, employer if column == EMPLOYER else PARSERS[column])
                if value is not None:
                    job["employer_id" if name == "employer" else name] = value
        if lrn is not None:
            first = ctx.seen.setdefault(lrn, row.number)
            if first != row.number:
                problems.append(
                    Problem(
                        row.number,
                        LRN,
                        lrn,
                        f"Row {first} has this LRN too: keep one row for each learner.",
                    )
                )
        if problems:
            return problems
        record = ctx.learners.get(lrn)
        if record is None:
            return self._new(ctx, row, lrn, given, job)
        return self._update(ctx, row, record, given, job)

    def _status_problems(
        self, row: Row, job: dict[str, Any], existing: dict[str, Any] | None
    ) -> list[Problem]:
        if job and "date_applies" not in job:
            return [
                Problem(
                    row.number,
                    EMPLOYMENT_DATE,
                    "",
                    f"Give the {EMPLOYMENT_DATE} (dd/mm/yyyy): the employment status columns "
                    "describe the status from that date.",
                )
            ]
        if job and existing is None and "status" not in job:
            return [
                Problem(
                    row.number,
                    EMPLOYMENT_STATUS,
                    "",
                    f"Give the {EMPLOYMENT_STATUS}: the learner has no status from "
                    f"{job['date_applies']:%d/%m/%Y} yet, so this row adds one.",
                )
            ]
        final = {**(existing or {}), **job}
        problem = agreement_status_problem(final.get("status"), final.get("as_agreement_id") or "")
        if problem:
            return [Problem(row.number, AGREEMENT_ID, final["as_agreement_id"], problem)]
        return []

    def _new(
        self, ctx: Context, row: Row, lrn: str, given: dict[str, Any], job: dict[str, Any]
    ) -> Change | list[Problem]:
        problems = [
            Problem(row.number, column, "", f"Give the {column}: the row adds a new learner.")
            for column, name in ((GIVEN_NAMES, "given_names"), (FAMILY_NAME, "family_name"))
            if name not in given
        ]
        problems += _rule_problems(row, {"lrn": lrn, **given})
        problems += self._status_problems(row, job, None)
        if problems:
            return problems
        label = f"LRN {lrn}, {given['given_names']} {given['family_name']}"
        payload = {"learner": {"lrn": lrn, **given}, "status": job or None}
        return Change(row.number, "new", label, [], payload)

    def _update(
        self,
        ctx: Context,
        row: Row,
        record: dict[str, Any],
        given: dict[str, Any],
        job: dict[str, Any],
    ) -> Change | list[Problem]:
        existing = None
        if "date_applies" in job:
            same_day = [
                s
                for s in ctx.statuses.get(record["id"], [])
                if s["date_applies"] == job["date_applies"]
            ]
            existing = max(same_day, key=lambda s: s["id"]) if same_day else None
        problems = self._status_problems(row, job, existing)
        if problems:
            return problems
        diffs: list[tuple[str, str, str]] = []
        before = {n: record[n] for n, v in given.items() if v != record[n]}
        problems = _rule_problems(row, {n: given[n] for n in before})
        if problems:
            return problems
        for name in before:
            diffs.append((_COLUMN_OF[name], display(record[name]), display(given[name])))
        status: dict[str, Any] | None = None
        when = f" from {job['date_applies']:%d/%m/%Y}" if job else ""
        if job and existing is None:
            status = {"new": job}
            for name in STATUS_FIELDS:
                if name in job:
                    diffs.append((_COLUMN_OF[name] + when, "", self._shown(ctx, name, job[name])))
        elif job and existing is not None:
            replaced = {n: existing[n] for n in STATUS_FIELDS if n in job and job[n] != existing[n]}
            if replaced:
                status = {
                    "id": existing["id"],
                    "seen": {n: existing[n] for n in STATUS_FIELDS},
                    "before": replaced,
                    "values": {n: job.get(n, existing[n]) for n in STATUS_FIELDS},
                }
                for name in replaced:
                    diffs.append(
                        (
                            _COLUMN_OF[name] + when,
                            self._shown(ctx, name, existing[name]),
                            self._shown(ctx, name, job[name]),
                        )
                    )
        label = f"LRN {record['lrn']}, {record['given_names']} {record['family_name']}"
        if not diffs:
            return Change(row.number, "unchanged", label)
        payload = {
            "id": record["id"],
            "lrn": record["lrn"],
            "updated_at": record["updated_at"],
            "before": before,
            "values": {n: given.get(n, record[n]) for n in LEARNER_FIELDS} if before else None,
            "status": status,
        }
        return Change(row.number, "update", label, diffs, payload)

    @staticmethod
    def _shown(ctx: Context, name: str, value: Any) -> str:
        if name == "employer_id":
            return ctx.employer_names.get(value, "") if value else ""
        return display(value)

    # --- apply and undo -----------------------------------------------------------------

    def apply(self, context: Any, changes: list[Change], batch: ImportBatch) -> None:
        ctx: Context = context
        reason = f"Import {batch.file_name}"
        new = [c.payload for c in changes if c.action == "new"]
        updates = [c.payload for c in changes if c.action == "update"]
        self._check_still_valid(ctx, new, updates)
        now = timezone.now()
        insert_rows(
            Learner,
            (
                {
                    **p["learner"],
                    "provider_id": ctx.provider.pk,
                    "created_batch_id": batch.pk,
                    "created_at": now,
                    "updated_at": now,
                }
                for p in new
            ),
        )
        ids = dict(
            Learner.objects.filter(
                provider=ctx.provider, lrn__in=[p["learner"]["lrn"] for p in new]
            ).values_list("lrn", "id")
        )
        new_statuses = [
            {**p["status"], "learner_id": ids[p["learner"]["lrn"]], "created_batch_id": batch.pk}
            for p in new
            if p["status"]
        ] + [
            {**u["status"]["new"], "learner_id": u["id"], "created_batch_id": batch.pk}
            for u in updates
            if u["status"] and "new" in u["status"]
        ]
        insert_rows(EmploymentStatus, new_statuses)
        insert_rows(
            BatchChange,
            (
                {
                    "batch_id": batch.pk,
                    "object_id": u["id"],
                    "before": to_json(
                        {"learner": u["before"], "status": u["status"], "seen": u["updated_at"]}
                    ),
                }
                for u in updates
            ),
        )
        learner_updates = [
            {"id": u["id"], "updated_at": now, **u["values"]} for u in updates if u["values"]
        ]
        update_rows(Learner, learner_updates, [*LEARNER_FIELDS, "updated_at"])
        status_updates = [
            {"id": u["status"]["id"], **u["status"]["values"]}
            for u in updates
            if u["status"] and "id" in u["status"]
        ]
        update_rows(EmploymentStatus, status_updates, STATUS_FIELDS)
        # History (the History tab): bulk writes send no signals, so the rows are written here.
        write = _history_writer(ctx.owner_id, reason)
        write(Learner, "+", Learner.objects.filter(id__in=list(ids.values())))
        write(Learner, "~", Learner.objects.filter(id__in=[u["id"] for u in learner_updates]))
        # `created_batch_id + 0`: found by learner, not by walking the batch index over
        # every status the batch has added so far (the planner's choice otherwise).
        touched = [s["learner_id"] for s in new_statuses]
        added = EmploymentStatus.objects.filter(learner_id__in=touched).alias(
            batch_plus_0=F("created_batch_id") + 0
        )
        write(EmploymentStatus, "+", added.filter(batch_plus_0=batch.pk))
        write(
            EmploymentStatus,
            "~",
            EmploymentStatus.objects.filter(id__in=[s["id"] for s in status_updates]),
        )

    def _check_still_valid(
        self, ctx: Context, new: list[dict[str, Any]], updates: list[dict[str, Any]]
    ) -> None:
        """Whatever changed since validation that the plan relies on stops the import."""
        stale: list[str] = []
        lrns = [p["learner"]["lrn"] for p in new]
        # No LIMIT: with one, PostgreSQL walks the provider's learners hoping for an early
        # match, where the (provider, lrn) index answers at once (there is normally none).
        stale += list(
            Learner.objects.filter(provider=ctx.provider, lrn__in=lrns).values_list(
                "lrn", flat=True
            )
        )
        seen = {u["id"]: u["updated_at"] for u in updates}
        now_at = dict(
            Learner.objects.filter(provider=ctx.provider, id__in=seen).values_list(
                "id", "updated_at"
            )
        )
        stale += [u["lrn"] for u in updates if now_at.get(u["id"]) != u["updated_at"]][:5]
        kept = [u for u in updates if u["status"] and "id" in u["status"]]
        current = {
            s["id"]: s
            for s in EmploymentStatus.objects.filter(
                id__in=[u["status"]["id"] for u in kept]
            ).values("id", *STATUS_FIELDS)
        }
        for u in kept:
            now = current.get(u["status"]["id"])
            if now is None or any(now[n] != u["status"]["seen"][n] for n in STATUS_FIELDS):
                stale.append(u["lrn"])
        added = [u for u in updates if u["status"] and "new" in u["status"]]
        if added:
            dates = {u["status"]["new"]["date_applies"] for u in added}
            taken = set(
                EmploymentStatus.objects.filter(
                    learner_id__in=[u["id"] for u in added], date_applies__in=dates
                ).values_list("learner_id", "date_applies")
            )
            stale += [
                u["lrn"] for u in added if (u["id"], u["status"]["new"]["date_applies"]) in taken
            ]
        if stale:
            raise StaleImportError(
                "Learners in this file were added or changed since it was validated "
                f"(LRN {', '.join(dict.fromkeys(stale[:5]))}). Nothing was imported: validate "
                "the file again."
            )

    def undo(self, batch: ImportBatch) -> None:
        reason = f"Undo import {batch.file_name}"
        assert batch.applied_at is not None
        created = Learner.objects.filter(created_batch=batch)
        changes = {c.object_id: from_json_value(c.before) for c in batch.changes.all()}
        changed = list(
            Learner.objects.filter(
                Q(created_batch=batch) | Q(id__in=list(changes)),
                updated_at__gt=batch.applied_at,
            ).values_list("lrn", flat=True)[:5]
        )
        changed += _added_to_since(created, batch)
        changed += _statuses_changed_since(changes, batch)
        if changed:
            raise UndoRefused(
                "These learners changed after the import, so it cannot be undone: LRN "
                f"{', '.join(dict.fromkeys(changed[:5]))}. Change them back, or edit them by hand."
            )
        # The owner: only they may undo their import (picsweb.access job_for).
        write = _history_writer(batch.job.owner_id if batch.job is not None else None, reason)
        added = EmploymentStatus.objects.filter(created_batch=batch)
        write(EmploymentStatus, "-", added)
        write(Learner, "-", created)
        added._raw_delete(added.db)
        created._raw_delete(created.db)
        now = timezone.now()
        learner_rows, status_rows = [], []
        for learner_id, before in changes.items():
            if before["learner"]:
                learner_rows.append({"id": learner_id, **before["learner"]})
            status = before["status"]
            if status and "id" in status:
                status_rows.append({"id": status["id"], **status["before"]})
        for fields, rows in _by_fields(learner_rows):
            update_rows(Learner, [{**r, "updated_at": now} for r in rows], [*fields, "updated_at"])
        for fields, rows in _by_fields(status_rows):
            update_rows(EmploymentStatus, rows, fields)
        write(Learner, "~", Learner.objects.filter(id__in=[r["id"] for r in learner_rows]))
        write(
            EmploymentStatus,
            "~",
            EmploymentStatus.objects.filter(id__in=[r["id"] for r in status_rows]),
        )


def _history_writer(user_id: int | None, reason: str) -> Callable[[type[Model], str, Any], None]:
    def write(model: type[Model], history_type: str, records: Any) -> None:
        insert_history(records, history_type=history_type, user_id=user_id, reason=reason)

    return write


def _by_fields(rows: list[dict[str, Any]]) -> Iterable[tuple[list[str], list[dict[str, Any]]]]:
    """update_rows writes the same fields of every row: rows grouped by the fields they have."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    return [(list(fields), group) for fields, group in groups.items()]


def _added_to_since(created: Any, batch: ImportBatch) -> list[str]:
    """New learners that gained other records since (aims, registrations, payments, tags, a
    status by hand): deleting them would delete those too."""
    found: list[str] = []
    for relation in Learner._meta.related_objects:
        related = relation.related_model
        if related._meta.label.startswith("learners.Historical"):  # type: ignore[union-attr]
            continue
        if relation.many_to_many or relation.one_to_many or relation.one_to_one:
            lookup = f"{relation.name}__isnull"
            query = created.filter(**{lookup: False})
            if related is EmploymentStatus:
                query = created.filter(
                    Q(employment_statuses__isnull=False)
                    & ~Q(employment_statuses__created_batch=batch)
                )
            found += query.values_list("lrn", flat=True)[:5]
    found += created.filter(tags__isnull=False).values_list("lrn", flat=True)[:5]
    return found


def _statuses_changed_since(changes: dict[int, Any], batch: ImportBatch) -> list[str]:
    """Statuses the import changed or added whose values are no longer the import's."""
    expected: dict[int, dict[str, Any]] = {}
    lrns = dict(Learner.objects.filter(id__in=list(changes)).values_list("id", "lrn"))
    for learner_id, before in changes.items():
        status = before["status"]
        if status and "id" in status:
            expected[status["id"]] = {"learner_id": learner_id, **status["values"]}
    added = list(EmploymentStatus.objects.filter(created_batch=batch, learner_id__in=list(changes)))
    for learner_id, before in changes.items():
        status = before["status"]
        if status and "new" in status:
            match = [s for s in added if s.learner_id == learner_id]
            if not match or any(getattr(match[0], n) != v for n, v in status["new"].items()):
                expected[-learner_id] = {"learner_id": learner_id, "missing": True}
            else:
                expected[match[0].pk] = {
                    "learner_id": learner_id,
                    **{n: getattr(match[0], n) for n in STATUS_FIELDS},
                }
    now = {
        s["id"]: s
        for s in EmploymentStatus.objects.filter(id__in=[i for i in expected if i > 0]).values(
            "id", *STATUS_FIELDS
        )
    }
    found = []
    for status_id, values in expected.items():
        current = now.get(status_id)
        if current is None or any(current[n] != values[n] for n in STATUS_FIELDS):
            found.append(lrns.get(values["learner_id"], "?"))
    return found


def learner_template_rows() -> list[list[str]]:
    """The template the Tips panel offers: the header and one example row."""
    return [list(COLUMNS), [EXAMPLE_ROW[c] for c in COLUMNS]]


LEARNERS_IMPORT = register_import(LearnerImport())
