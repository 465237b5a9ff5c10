"""The Registration & Certification import (seed 002) as a spec of the shared pipeline.

Matching (seed 002 notes 1-4):
1. A row without a registration number matches the learner's record for that qualification
   that has no registration number yet (made when there is none).
2. A row with a registration number matches the record with that number; failing that, the
   record with no number yet, which takes the number; failing that, a new record.
3. An import never removes a registration number (a blank cell leaves it as it is).
4. A status that needs a registration number reverts when the record has none: the row is
   still imported, and the report says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from learners.identifiers import TEMPORARY_ULN
from learners.models import Learner, LearningDelivery, Provider, Role
from picsweb.imports.cells import CellError, as_date, as_text, display
from picsweb.imports.pipeline import (
    Change,
    ModelImportSpec,
    Problem,
    Row,
    named,
    register_import,
)
from picsweb.imports.reading import Cell, ImportFileError
from regcert.columns import COLUMNS, QUALIFICATION, REG_NUMBER, STATUS, ULN
from regcert.models import Registration

MANDATORY = (QUALIFICATION, ULN, STATUS)
DATE_COLUMNS = [name for name, f in COLUMNS.items() if f.endswith("_date")]
STATUSES = {s.value.upper(): s.value for s in Registration.Status}
UPDATE_FIELDS = (
    "status",
    "registration_number",
    "registration_date",
    "certificate_claimed_date",
    "achieved_date",
    "certificate_received_date",
    "certificate_sent_date",
    "postal_tracking_reference",
)


@dataclass
class Context:
    provider: Provider
    learners: dict[str, list[int]] = field(default_factory=dict)  # ULN -> learner ids
    aims: set[tuple[int, str]] = field(default_factory=set)  # (learner id, aim reference)
    records: dict[tuple[int, str], list[dict[str, Any]]] = field(default_factory=dict)
    claimed: dict[int, int] = field(default_factory=dict)  # record id -> first row
    created: dict[tuple[int, str, str], int] = field(default_factory=dict)  # new -> row


def _text128(value: Cell) -> str:
    """Text of at most 128 characters, without the spaces around it (codes and numbers)."""
    return as_text(value, max_length=128).strip()


def _status(value: Cell) -> str:
    text = as_text(value)
    if text.upper() not in STATUSES:
        raise CellError(f"Give one of: {', '.join(STATUSES.values())}.")
    return STATUSES[text.upper()]


class RegistrationImport(ModelImportSpec):
    kind = "regcert"
    label = "Registration & Certification import"
    role = Role.BULK_UPLOAD
    # Seed 002: import is for Bulk Upload *on the R&C screen*, which needs Manage R&C.
    also_roles = (Role.MANAGE_REGCERT,)
    max_bytes = 2 * 1024 * 1024 - 1  # "must be less than 2 MB"
    formats = ("csv",)
    model = Registration

    def record_names(self, records: QuerySet[Any]) -> list[str]:
        found = records.values_list("learner__uln", "learner__lrn", "qualification_number")[:5]
        return [f"ULN {uln or 'none'} (LRN {lrn}), qualification {q}" for uln, lrn, q in found]

    update_fields = UPDATE_FIELDS

    def columns(self, provider: Provider) -> list[str]:
        return list(COLUMNS)

    def header_index(self, headers: list[str], provider: Provider) -> dict[str, int]:
        """The header must be exactly the seed's columns, in order; the message names the
        first column that is wrong. An ERRORS column after them (our errors file) is allowed."""
        given = [h.strip() for h in headers]
        while given and given[-1] == "":
            given.pop()
        for position, expected in enumerate(COLUMNS, start=1):
            if position > len(given):
                raise ImportFileError(
                    f"The header row stops after column {position - 1}: column {position} "
                    f"must be {expected!r}."
                )
            # The order is exact (seed 002); the case of a name is not ("Registration Number").
            if given[position - 1].casefold() != expected.casefold():
                raise ImportFileError(
                    f"Column {position} of the header row is {named([given[position - 1]])}; it "
                    f"must be {expected!r}. The columns, in this order: {', '.join(COLUMNS)}."
                )
        extra = given[len(COLUMNS) :]
        if extra and [e.upper() for e in extra] != ["ERRORS"]:
            raise ImportFileError(
                f"Column {len(COLUMNS) + 1} of the header row is {named(extra[:1])}: the file "
                f"has {len(COLUMNS)} columns only."
            )
        return {name: position for position, name in enumerate(COLUMNS)}

    def begin(self, provider: Provider) -> Context:
        return Context(provider)

    def preload(self, context: Any, rows: Sequence[Row]) -> None:
        ctx: Context = context
        ulns = {str(row.get(ULN)).strip() for row in rows if row.get(ULN) is not None}
        ulns -= ctx.learners.keys()
        if not ulns:
            return
        found: dict[str, list[int]] = defaultdict(list)
        for learner_id, uln in Learner.objects.filter(
            provider=ctx.provider, uln__in=ulns
        ).values_list("id", "uln"):
            found[uln].append(learner_id)
        for uln in ulns:
            ctx.learners[uln] = found.get(uln, [])
        ids = [i for ids in found.values() for i in ids]
        ctx.aims |= set(
            LearningDelivery.objects.filter(learner_id__in=ids).values_list("learner_id", "aim_ref")
        )
        for record in Registration.objects.filter(learner_id__in=ids).values(
            "id", "learner_id", "qualification_number", "updated_at", *UPDATE_FIELDS
        ):
            key = (record["learner_id"], record["qualification_number"])
            ctx.records.setdefault(key, []).append(record)

    def validate(self, context: Any, row: Row) -> Change | list[Problem]:
        ctx: Context = context
        problems: list[Problem] = []

        def cell(column: str, parse: Callable[[Cell], Any]) -> Any:
            raw = row.get(column)
            if raw is None and column in MANDATORY:
                problems.append(Problem(row.number, column, "", f"{column} is mandatory."))
                return None
            try:
                return parse(raw)
            except CellError as error:
                problems.append(Problem(row.number, column, display(raw), error.message))
                return None

        qualification = cell(QUALIFICATION, _text128)
        uln = cell(ULN, _text128)
        status = cell(STATUS, _status)
        number = cell(REG_NUMBER, _text128) or ""
        values: dict[str, Any] = {COLUMNS[name]: cell(name, as_date) for name in DATE_COLUMNS}
        values["postal_tracking_reference"] = cell("Postal Tracking Reference", _text128) or ""
        if problems:
            return problems
        if uln == TEMPORARY_ULN:
            return [
                Problem(
                    row.number,
                    ULN,
                    uln,
                    f"{TEMPORARY_ULN} is the temporary ULN: it cannot identify a learner. "
                    "Give the learner's real ULN.",
                )
            ]
        learners = ctx.learners.get(uln, [])
        if not learners:
            return [Problem(row.number, ULN, uln, "No learner of this provider has this ULN.")]
        if len(learners) > 1:
            return [Problem(row.number, ULN, uln, "Several learners have this ULN: merge them.")]
        learner_id = learners[0]
        if (learner_id, qualification) not in ctx.aims:
            return [
                Problem(
                    row.number,
                    QUALIFICATION,
                    qualification,
                    "The learner has no learning aim with this qualification number.",
                )
            ]
        return _match(ctx, row, learner_id, qualification, status, number, values)


def _match(
    ctx: Context,
    row: Row,
    learner_id: int,
    qualification: str,
    status: str,
    number: str,
    values: dict[str, Any],
) -> Change | list[Problem]:
    records = ctx.records.get((learner_id, qualification), [])
    unnumbered = next((r for r in records if not r["registration_number"]), None)
    if number:
        record = next((r for r in records if r["registration_number"] == number), unnumbered)
    else:
        record = unnumbered
        if record is None and records:
            numbers = ", ".join(r["registration_number"] for r in records)
            return [
                Problem(
                    row.number,
                    REG_NUMBER,
                    "",
                    f"This learner's record for {qualification} has registration number "
                    f"{numbers}: give it to update the record.",
                )
            ]
    label = f"ULN {row.get(ULN)}, {qualification}"
    notes = []
    final_number = number or (record["registration_number"] if record else "")
    if status in Registration.NEEDS_REGISTRATION_NUMBER and not final_number:
        reverted = record["status"] if record else Registration.Status.NOT_REGISTERED
        notes.append(
            f"Status {status} needs a registration number, which this record has not got: "
            f"it stays {reverted}."
        )
        status = reverted
    values |= {"status": status}
    if record is None:
        key = (learner_id, qualification, number)
        if key in ctx.created:
            return [
                Problem(
                    row.number,
                    QUALIFICATION,
                    qualification,
                    f"Row {ctx.created[key]} adds this registration too: keep one of them.",
                )
            ]
        ctx.created[key] = row.number
        payload = values | {
            "learner_id": learner_id,
            "qualification_number": qualification,
            "registration_number": number,
        }
        return Change(row.number, "new", label, [], payload, notes)
    first = ctx.claimed.setdefault(record["id"], row.number)
    if first != row.number:
        return [
            Problem(
                row.number,
                QUALIFICATION,
                qualification,
                f"Row {first} updates this registration too: keep one of them.",
            )
        ]
    if number:
        values["registration_number"] = number  # never removed by a blank (note 3)
    diffs, before = [], {}
    for name in UPDATE_FIELDS:
        # A blank cell leaves the value as it is (note 3 says so of registration numbers).
        if name in values and values[name] not in (None, "") and values[name] != record[name]:
            before[name] = record[name]
            column = next(c for c, f in COLUMNS.items() if f == name)
            diffs.append((column, display(record[name]), display(values[name])))
    if not diffs:
        return Change(row.number, "unchanged", label, notes=notes)
    merged = {name: (values[name] if name in before else record[name]) for name in UPDATE_FIELDS}
    payload = {
        "id": record["id"],
        "updated_at": record["updated_at"],
        "before": before,
        "values": merged,
    }
    return Change(row.number, "update", label, diffs, payload, notes)


def regcert_sample_csv() -> str:
    """The sample file the Tips panel offers."""
    return (
        ",".join(COLUMNS)
        + "\r\n60312345,1748529632,Registered,ABC123456,01/09/2025,,,,,\r\n"
        + "60312345,2000000028,Not registered,,,,,,,\r\n"
    )


REGCERT = register_import(RegistrationImport())
