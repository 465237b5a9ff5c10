"""The payment record import (seed 004) as an ImportSpec of the shared pipeline.

Updates go only by INTERNAL RECORD ID (cross-checked against IDENT when one is given); new
records go on the episode named by IDENT, or found from LEARNER REFERENCE NUMBER with EPISODE
START or the payment date. On an update a blank cell leaves the value as it is, and a column
that only new records take must be blank or equal to the record's own value (so a downloaded
report imports again unchanged).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F

from learners.models import EmploymentStatus, Episode, Organisation, Provider, Role
from payments import columns as c
from payments.models import PaymentItem, PaymentRecord, UserDefinedField
from picsweb.imports.cells import CellError, as_code, as_date, as_money, as_text, display
from picsweb.imports.pipeline import (
    CHUNK_ROWS,
    Change,
    ModelImportSpec,
    Problem,
    Row,
    register_import,
)
from picsweb.imports.reading import Cell, ImportFileError
from picsweb.models import ImportBatch

PMR_CREDIT_DEBIT = {"APTB_PMR1": "C", "APTB_PMR2": "C", "APTB_PMR3": "D"}
STATUSES = {s.value.upper(): s.value for s in PaymentRecord.Status}
_MISSING = object()


@dataclass(slots=True)
class _Episode:
    id: int
    ident: str
    learner_id: int
    lrn: str
    start: date
    end: date | None


@dataclass
class Context:
    provider: Provider
    items: dict[str, int]
    organisations: dict[str, int]
    organisation_codes: dict[int, str]
    item_codes: dict[int, str]
    udfs: list[str]
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    episodes_by_ident: dict[str, _Episode] = field(default_factory=dict)
    episodes_by_lrn: dict[str, list[_Episode]] = field(default_factory=dict)
    latest_employer: dict[int, int | None] = field(default_factory=dict)
    seen_ids: dict[str, int] = field(default_factory=dict)
    whole_provider: bool = False  # episodes and employers of the provider all read


class PaymentImport(ModelImportSpec):
    kind = "payments"
    label = "Payment records import"
    role = Role.PAYMENTS_IMPORT
    model = PaymentRecord
    update_fields = (*c.UPDATABLE.values(), "user_fields")
    record_label = "internal_id"

    def columns(self, provider: Provider) -> list[str]:
        return [*c.COLUMNS, *_udf_names(provider)]

    def check_columns(self, present: set[str], provider: Provider) -> None:
        if not present & {c.INTERNAL_ID, c.IDENT, c.LRN}:
            raise ImportFileError(
                "The file needs an INTERNAL RECORD ID column (to update records) or an IDENT "
                "or LEARNER REFERENCE NUMBER column (to add them)."
            )
        if c.INTERNAL_ID not in present and not present & {c.EXPECTED_DATE, c.ACTUAL_DATE}:
            raise ImportFileError(
                "To add records the file needs an EXPECTED PAYMENT DATE or ACTUAL PAYMENT "
                "DATE column."
            )

    def begin(self, provider: Provider) -> Context:
        items = dict(PaymentItem.objects.filter(provider=provider).values_list("code", "id"))
        organisations = dict(
            Organisation.objects.filter(provider=provider).values_list("pics_id", "id")
        )
        return Context(
            provider=provider,
            items=items,
            organisations=organisations,
            organisation_codes={v: k for k, v in organisations.items()},
            item_codes={v: k for k, v in items.items()},
            udfs=_udf_names(provider),
        )

    def preload(self, context: Any, rows: Sequence[Row]) -> None:
        ctx: Context = context
        ids: set[str] = set()
        idents: set[str] = set()
        lrns: set[str] = set()
        for row in rows:
            for column, bucket in ((c.INTERNAL_ID, ids), (c.IDENT, idents), (c.LRN, lrns)):
                value = row.get(column)
                if isinstance(value, str | int):
                    bucket.add(str(value))
        if ids:
            for record in PaymentRecord.objects.filter(
                provider=ctx.provider, internal_id__in=ids
            ).values(
                *c.UPDATABLE.values(),
                "id",
                "internal_id",
                "system_type",
                "credit_debit",
                "organisation_id",
                "payment_item_id",
                "user_fields",
                "updated_at",
                "episode__learner__lrn",
                "episode__start_date",
                ident=F("episode__ident"),
            ):
                ctx.records[record["internal_id"]] = record
        if ctx.whole_provider:
            return
        episodes = Episode.objects.filter(provider=ctx.provider).values_list(
            "id", "ident", "learner_id", "learner__lrn", "start_date", "end_date"
        )
        if len(rows) >= CHUNK_ROWS:
            # A large file: reading the provider's episodes and employers once is cheaper
            # than a long IN list for every chunk.
            ctx.whole_provider = True
            found = [_Episode(*e) for e in episodes.iterator(chunk_size=5000)]
            learners: set[int] | None = None
        else:
            # By id: an episode named by IDENT on one row and found by LRN on another comes
            # back from both queries, and must be one episode of that learner, not two.
            by_id: dict[int, _Episode] = {}
            lrns -= ctx.episodes_by_lrn.keys()
            if new_idents := idents - ctx.episodes_by_ident.keys():
                by_id |= {e[0]: _Episode(*e) for e in episodes.filter(ident__in=new_idents)}
            if lrns:
                by_id |= {e[0]: _Episode(*e) for e in episodes.filter(learner__lrn__in=lrns)}
            found = list(by_id.values())
            learners = {e.learner_id for e in found} - ctx.latest_employer.keys()
        for episode in found:
            ctx.episodes_by_ident[episode.ident] = episode
            if ctx.whole_provider or episode.lrn in lrns:
                ctx.episodes_by_lrn.setdefault(episode.lrn, []).append(episode)
        if not ctx.whole_provider:
            for lrn in lrns:
                ctx.episodes_by_lrn.setdefault(lrn, [])
        statuses = EmploymentStatus.objects.order_by("learner_id", "date_applies", "id")
        if learners is None:
            statuses = statuses.filter(learner__provider=ctx.provider)
        elif learners:
            statuses = statuses.filter(learner_id__in=learners)
        else:
            return
        for learner_id, employer_id in statuses.values_list("learner_id", "employer_id").iterator(
            chunk_size=5000
        ):
            ctx.latest_employer[learner_id] = employer_id  # the last one wins

    def validate(self, context: Any, row: Row) -> Change | list[Problem]:
        ctx: Context = context
        check = _Checker(row)
        internal_id = check(c.INTERNAL_ID, as_code)
        if internal_id:
            return _validate_update(ctx, row, check, internal_id)
        return _validate_new(ctx, row, check)

    def new_row_fields(self, batch: ImportBatch) -> dict[str, Any]:
        return {"provider_id": batch.provider_id}


def _udf_names(provider: Provider) -> list[str]:
    return list(
        UserDefinedField.objects.filter(provider=provider)
        .order_by("name")
        .values_list("name", flat=True)
    )


_BLANKS: dict[Callable[[Cell], Any], Any] = {}


class _Checker:
    """Parses cells of one row, collecting a Problem for each cell that is wrong."""

    __slots__ = ("cells", "index", "problems", "row", "width")

    def __init__(self, row: Row) -> None:
        self.row = row
        self.cells = row.cells
        self.width = len(row.cells)
        self.index = row.index
        self.problems: list[Problem] = []

    def __call__(self, column: str, parse: Callable[[Cell], Any]) -> Any:
        position = self.index.get(column)
        if position is None:  # not in the file: what a blank cell gives
            blank = _BLANKS.get(parse, _MISSING)
            if blank is _MISSING:
                blank = _BLANKS[parse] = parse(None)
            return blank
        raw = self.cells[position] if position < self.width else None
        if raw == "":
            raw = None
        try:
            return parse(raw)
        except CellError as error:
            self.problem(column, error.message, raw)
            return _MISSING

    def problem(self, column: str, message: str, raw: Cell = _MISSING) -> None:  # type: ignore[assignment]
        value = self.row.get(column) if raw is _MISSING else raw
        self.problems.append(Problem(self.row.number, column, display(value), message))


def _ident(value: Cell) -> str:
    text = as_code(value)
    if text and len(text) != 5:
        if text.isdigit() and len(text) < 5:
            raise CellError(
                "An IDENT is 5 characters, such as 00001: Excel may have dropped its leading "
                "zeros (format the column as text)."
            )
        raise CellError("An IDENT is 5 characters, such as 00001.")
    return text


def _one_of(choices: dict[str, str], what: str) -> Callable[[Cell], str]:
    def parse(value: Cell) -> str:
        text = as_code(value)
        if not text:
            return ""
        if text.upper() not in choices:
            raise CellError(f"{what}: {', '.join(choices.values())}.")
        return choices[text.upper()]

    return parse


_system_type = _one_of({k: k for k in PMR_CREDIT_DEBIT}, "Leave it blank or give one of")
_credit_debit = _one_of({"C": "C", "D": "D"}, "Give one of")
_status = _one_of(STATUSES, "Give one of")
_yes_or_blank = _one_of({"Y": "Y"}, "Leave it blank or give")


def _text(max_length: int) -> Callable[[Cell], str]:
    return lambda value: as_text(value, max_length=max_length)


_invoice_number = _text(50)
_user_field = _text(200)


def _read_common(check: _Checker, ctx: Context) -> dict[str, Any]:
    """The columns new records and updates share; _MISSING where the cell was wrong."""
    values = {
        "expected_date": check(c.EXPECTED_DATE, as_date),
        "expected_amount": check(c.EXPECTED_AMOUNT, as_money),
        "actual_date": check(c.ACTUAL_DATE, as_date),
        "actual_amount": check(c.ACTUAL_AMOUNT, as_money),
        "invoice_number": check(c.INVOICE_NUMBER, _invoice_number),
        "invoice_date": check(c.INVOICE_DATE, as_date),
        "status": check(c.STATUS, _status),
        "notes": check(c.NOTES, as_text),
    }
    values["user_fields"] = {
        name: value
        for name in ctx.udfs
        if (value := check(name, _user_field)) not in ("", _MISSING)
    }
    return values


def _validate_new(ctx: Context, row: Row, check: _Checker) -> Change | list[Problem]:
    ident = check(c.IDENT, _ident)
    lrn = check(c.LRN, as_code)
    episode_start = check(c.EPISODE_START, as_date)
    system_type = check(c.SYSTEM_TYPE, _system_type)
    credit_debit = check(c.CREDIT_DEBIT, _credit_debit)
    organisation_code = check(c.ORGANISATION_ID, as_code)
    from_employer = check(c.ORGANISATION_FROM_EMPLOYER, _yes_or_blank)
    item_code = check(c.ITEM_CODE, as_code)
    values = _read_common(check, ctx)

    if values["expected_date"] is None and values["actual_date"] is None:
        check.problem(
            c.EXPECTED_DATE, "Give an EXPECTED PAYMENT DATE or an ACTUAL PAYMENT DATE (or both)."
        )
    episode = _find_episode(ctx, check, ident, lrn, episode_start, values)
    if system_type and system_type is not _MISSING:
        derived = PMR_CREDIT_DEBIT[system_type]
        if credit_debit and credit_debit is not _MISSING and credit_debit != derived:
            check.problem(c.CREDIT_DEBIT, f"{system_type} records are always {derived}.")
        credit_debit = derived
    elif credit_debit == "":
        check.problem(c.CREDIT_DEBIT, "Give C (credit) or D (debit) for a generic payment.")
    organisation_id = None
    if organisation_code and organisation_code is not _MISSING:
        organisation_id = ctx.organisations.get(organisation_code)
        if organisation_id is None:
            check.problem(c.ORGANISATION_ID, "No organisation has this PICS identifier.")
    elif episode is not None and (system_type or from_employer == "Y"):
        organisation_id = ctx.latest_employer.get(episode.learner_id)
    item_id = None
    if item_code and item_code is not _MISSING:
        item_id = ctx.items.get(item_code)
        if item_id is None:
            check.problem(c.ITEM_CODE, "This code is not in the Payment Items list.")
    if check.problems or episode is None:
        return check.problems
    values["status"] = values["status"] or PaymentRecord.Status.EXPECTED
    payload = values | {
        "episode_id": episode.id,
        "system_type": system_type,
        "credit_debit": credit_debit,
        "organisation_id": organisation_id,
        "payment_item_id": item_id,
    }
    return Change(row.number, "new", f"Learner {episode.lrn}, episode {episode.ident}", [], payload)


def _find_episode(
    ctx: Context,
    check: _Checker,
    ident: Any,
    lrn: Any,
    episode_start: Any,
    values: dict[str, Any],
) -> _Episode | None:
    if ident is _MISSING or lrn is _MISSING or episode_start is _MISSING:
        return None
    if ident:
        episode = ctx.episodes_by_ident.get(ident)
        if episode is None:
            check.problem(c.IDENT, "No episode has this IDENT.")
        elif lrn and lrn != episode.lrn:
            check.problem(c.LRN, f"Episode {ident} belongs to learner {episode.lrn}, not {lrn}.")
            return None
        return episode
    if not lrn:
        check.problem(
            c.IDENT, "Give the IDENT, or the LEARNER REFERENCE NUMBER to find the episode by."
        )
        return None
    episodes = ctx.episodes_by_lrn.get(lrn, [])
    if not episodes:
        check.problem(c.LRN, "No learner has this learner reference number.")
        return None
    if episode_start:
        matches = [e for e in episodes if e.start == episode_start]
        if len(matches) != 1:
            check.problem(c.EPISODE_START, f"Learner {lrn} has no episode starting on this date.")
            return None
        return matches[0]
    when = values["expected_date"] or values["actual_date"]
    if when in (None, _MISSING):
        return None
    matches = [e for e in episodes if e.start <= when and (e.end is None or when <= e.end)]
    if len(matches) == 1:
        return matches[0]
    column = c.EXPECTED_DATE if values["expected_date"] else c.ACTUAL_DATE
    if not matches:
        check.problem(column, f"No episode of learner {lrn} covers this date; give the IDENT.")
    else:
        check.problem(column, f"Several episodes of learner {lrn} cover this date; give the IDENT.")
    return None


def _validate_update(
    ctx: Context, row: Row, check: _Checker, internal_id: str
) -> Change | list[Problem]:
    record = ctx.records.get(internal_id)
    if record is None:
        check.problem(c.INTERNAL_ID, "No payment record of this provider has this ID.")
        return check.problems
    first = ctx.seen_ids.setdefault(internal_id, row.number)
    if first != row.number:
        check.problem(c.INTERNAL_ID, f"Row {first} updates this record too: keep one of them.")
    ident = check(c.IDENT, _ident)
    if ident and ident is not _MISSING and ident != record["ident"]:
        check.problem(c.IDENT, f"This record is on episode {record['ident']}, not {ident}.")
    current = {
        c.LRN: record["episode__learner__lrn"],
        c.EPISODE_START: record["episode__start_date"],
        c.SYSTEM_TYPE: record["system_type"],
        c.CREDIT_DEBIT: record["credit_debit"],
        c.ORGANISATION_ID: ctx.organisation_codes.get(record["organisation_id"], ""),
        c.ITEM_CODE: ctx.item_codes.get(record["payment_item_id"], ""),
    }
    parsers = {
        c.LRN: as_code,
        c.EPISODE_START: as_date,
        c.SYSTEM_TYPE: _system_type,
        c.CREDIT_DEBIT: _credit_debit,
        c.ORGANISATION_ID: as_code,
        c.ITEM_CODE: as_code,
    }
    for column, parse in parsers.items():
        given = check(column, parse)
        if given not in ("", None, _MISSING) and given != current[column]:
            check.problem(
                column,
                f"Only new records take a {column}; this record has "
                f"{display(current[column]) or 'none'}.",
            )
    if check(c.ORGANISATION_FROM_EMPLOYER, _yes_or_blank) == "Y":
        check.problem(c.ORGANISATION_FROM_EMPLOYER, "Only new records take this column.")
    given_values = _read_common(check, ctx)
    if check.problems:
        return check.problems
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    diffs = []
    for column, name in c.UPDATABLE.items():
        value = given_values[name]
        if value in (None, "") or value == record[name]:
            continue
        before[name], after[name] = record[name], value
        diffs.append((column, display(record[name]), display(value)))
    user_fields = dict(record["user_fields"])
    for name, value in given_values["user_fields"].items():
        if user_fields.get(name, "") != value:
            diffs.append((name, user_fields.get(name, ""), value))
            before["user_fields"] = record["user_fields"]
            user_fields[name] = value
    merged = {name: after.get(name, record[name]) for name in c.UPDATABLE.values()}
    if merged["expected_date"] is None and merged["actual_date"] is None:
        check.problem(c.EXPECTED_DATE, "A record needs an expected or actual payment date.")
        return check.problems
    label = f"Learner {record['episode__learner__lrn']}, episode {record['ident']}"
    if not diffs:
        return Change(row.number, "unchanged", label)
    payload = {
        "id": record["id"],
        "updated_at": record["updated_at"],  # as validated: apply refuses if it moved
        "before": before,
        "values": merged | {"user_fields": user_fields},
    }
    return Change(row.number, "update", label, diffs, payload)


PAYMENTS = register_import(PaymentImport())
