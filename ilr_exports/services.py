"""Making an ILR file (seed 001; docs/ilr.md).

Learners are read in chunks with what their elements need, checked one by one (a learner
whose data would make the file invalid is listed with the reasons and left out, never
silently dropped), written with lxml's incremental writer straight to disk, and the whole file
is then validated against the year's XSD while streaming, so memory stays flat however many
learners. A file that fails validation is never offered: the export fails naming the learner
and the element.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from lxml import etree

from ilr_exports.fixes import record_field
from ilr_exports.models import IlrExport
from ilr_exports.rules import Context, Failure, LarsStandard, check_record
from ilr_exports.rules import Learner as IlrLearner
from ilr_exports.rules.lars import standards_lookup
from ilr_exports.validation import (
    first_refused_learner,
    learner_problems,
    learner_schema,
    validate_stream,
)
from ilr_exports.writer import BadValue, Row, learner_record, learner_xml, monitoring_value
from ilr_exports.years import NEWEST, SCHEMAS, CollectionYear, schema_for
from learners import identifiers
from learners.models import (
    EmploymentStatus,
    Learner,
    LearnerFAM,
    LearnerLLDD,
    LearningDelivery,
    Officer,
    Provider,
    Site,
    Tag,
)
from learners.record import Missing
from payments.models import PaymentRecord
from picsweb.db import Ids, read_ahead
from picsweb.errors import UserError

CHUNK = 1000  # learners between flushes and progress reports
ROWS_CHUNK = 2000  # learners whose records are read together
M = IlrExport.Monitoring
_NAME = re.compile(r'^[^0-9\r\n\t|"]{1,100}$')
_PMR_CODES = {"APTB_PMR1": 1, "APTB_PMR2": 2, "APTB_PMR3": 3}


def _longest(model: type[Any], *names: str) -> int:
    return max(model._meta.get_field(name).max_length for name in names)


# The longest value each monitoring choice can take, from the columns it is read from: only
# a choice that can pass the ILR's 20 characters is checked learner by learner. (SQLite does
# not hold a column to its length; the XSD check of the whole file still would.)
_MONITORING_LONGEST: dict[str, int] = {
    M.AS_ENTERED: max(
        _longest(Learner, "provider_monitoring_a", "provider_monitoring_b"),
        _longest(LearningDelivery, *(f"delivery_monitoring_{p}" for p in "abcd")),
    ),
    M.PROVIDER_ID: _longest(Provider, "ukprn"),
    M.PICS_ID: _longest(Learner, "pics_id"),
    M.SITE_CODE: _longest(Site, "code"),
    M.QUALIFICATION_PLAN: _longest(LearningDelivery, "qualification_plan_code"),
    M.OFFICER: _longest(Officer, "code"),
    M.MAIN_TAG: _longest(Tag, "name"),
}


class IlrExportError(UserError):
    """A problem the user can act on (picsweb.errors.UserError)."""


@dataclass
class Problem:
    code: str
    lrn: str
    name: str
    reasons: list[str]
    # ESFA's rules the learner breaks: {"rule", "severity", "field", "message", "aim"}.
    failures: list[dict[str, Any]] = field(default_factory=list)

    def as_report(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "lrn": self.lrn,
            "name": self.name,
            "reasons": self.reasons,
            "failures": self.failures,
        }


@dataclass
class Written:
    learners: int = 0
    problems: list[Problem] = field(default_factory=list)  # left out of the file
    warnings: list[Problem] = field(default_factory=list)  # in the file, with warnings


@functools.cache
def _lars_standards() -> Callable[[int], LarsStandard | None]:
    return standards_lookup()


def rules_context(*, year: CollectionYear, ukprn: str, at: date) -> Context:
    """What ESFA's rules need beyond the learner: the year, the file's date, the provider,
    and the LARS standards picsweb holds."""
    return Context(
        year_start=year.starts,
        year_end=year.ends,
        file_preparation_date=at,
        ukprn=int(ukprn),
        lars_standard=_lars_standards(),
    )


def _failure(failure: Failure) -> dict[str, Any]:
    aim = ""
    if failure.aim_seq_number is not None:
        aim = f"{failure.learn_aim_ref or ''} (aim {failure.aim_seq_number})".strip()
    return {
        "rule": failure.rule_id,
        "severity": "error" if failure.is_error else "warning",
        "field": failure.field,
        "message": failure.message,
        "aim": aim,
        "fix": record_field(failure.field),  # the learner record's field (learners:fix)
    }


def _reason(failure: dict[str, Any]) -> str:
    where = f" — {failure['aim']}" if failure["aim"] else ""
    return f"{failure['rule']} ({failure['field']}){where}: {failure['message']}"


def ilr_rule_failures(
    *, record: IlrLearner, context: Context
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(errors, warnings) of ESFA's rules for one learner's record, as the file says it."""
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    for failure in check_record(record, context):
        (errors if failure.is_error else warnings).append(_failure(failure))
    return errors, warnings


def ilr_next_serial(*, provider: Provider, year: CollectionYear) -> int:
    """The next NN for the provider's files this year (01-99). Call inside a transaction
    that has locked the provider row."""
    last = (
        IlrExport.objects.filter(provider=provider, year_code=year.code, check_only=False)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    serial = (last or 0) + 1
    if serial > 99:
        raise IlrExportError(f"This provider has made 99 ILR files for {year.label} already.")
    return serial


def ilr_file_name(*, ukprn: str, year: CollectionYear, at: datetime, serial: int) -> str:
    return f"ILR-{ukprn}-{year.code}-{at:%Y%m%d}-{at:%H%M%S}-{serial:02d}.XML"


def _year_aims(year: CollectionYear) -> QuerySet[LearningDelivery]:
    """The aims in the file: those active in the year. Of any provider: only ever narrowed to
    learners already chosen by provider — a provider join here makes PostgreSQL read all the
    provider's learners for every query. The filters choose learners (ilr_learners), never
    aims, so each learner goes in whole."""
    return LearningDelivery.objects.filter(start_date__lte=year.ends).filter(
        Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=year.starts)
    )


def ilr_learners(*, export: IlrExport, year: CollectionYear) -> QuerySet[Learner]:
    """The learners in the file: those with an aim in the year, narrowed by each filter in
    use; never a learner with an aim in the year on a contract whose Include in ILR Exports is
    No (seed 001: "no learners linked to that contract will be included")."""
    learners = Learner.objects.filter(provider=export.provider).exclude(state=Learner.State.DELETED)
    if export.filters.get("sites"):
        learners = learners.filter(site_id__in=export.filters["sites"])
    if export.filters.get("tags"):
        links = Learner.tags.through.objects.filter(
            learner_id=OuterRef("pk"), tag_id__in=export.filters["tags"]
        )
        learners = learners.filter(Exists(links))
    learner_aims = _year_aims(year).filter(learner_id=OuterRef("pk"))
    if export.filters.get("contracts"):
        learners = learners.filter(
            Exists(learner_aims.filter(contract_id__in=export.filters["contracts"]))
        )
    if export.filters.get("subcontractors"):
        learners = learners.filter(
            Exists(learner_aims.filter(subcontractor_id__in=export.filters["subcontractors"]))
        )
    excluded = learner_aims.filter(contract__include_in_ilr_exports=False)
    return learners.filter(Exists(learner_aims)).exclude(Exists(excluded))


LEARNER_FIELDS = (
    "id",
    "code",
    "lrn",
    "uln",
    "family_name",
    "given_names",
    "date_of_birth",
    "ni_number",
    "ethnicity",
    "sex",
    "lldd_health_problem",
    "postcode",
    "postcode_prior",
    "address_line_1",
    "address_line_2",
    "town",
    "county",
    "phone",
    "email",
    "prior_level",
    "prior_level_date",
    "planned_learning_hours",
    "pics_id",
    "provider_monitoring_a",
    "provider_monitoring_b",
    "site__code",
    "main_officer__code",
)
AIM_FIELDS = (
    "learner_id",
    "episode_id",
    "aim_ref",
    "aim_type",
    "start_date",
    "planned_end_date",
    "fund_model",
    "standard_id",
    "delivery_postcode",
    "epa_org_id",
    "planned_hours",
    "completion_status",
    "actual_end_date",
    "withdraw_reason",
    "outcome",
    "achievement_date",
    "contract_id",
    "contract__fund_model",
    "contract__source_of_funding",
    "contract__contract_type",
    "contract_type",
    "contract_type_from",
    "contract_type_to",
    "training_price",
    "epa_price",
    "qualification_plan_code",
    "delivery_monitoring_a",
    "delivery_monitoring_b",
    "delivery_monitoring_c",
    "delivery_monitoring_d",
)


def _rows(
    learners: QuerySet[Learner], year: CollectionYear, *, ahead: bool = False
) -> Iterator[Row]:
    """The learners in LRN order, each a dict with its aims, employment records, LLDD
    categories, learner FAMs, main tag and PMR payments. The learners come from one query
    (the filters evaluated once) read through a server-side cursor; their other records are
    read a chunk of learners at a time, by learner id (six indexed queries a chunk): memory
    stays flat, and no query sorts or filters more than its own chunk. `ahead` (an export):
    the chunks are read in a thread up to two ahead (picsweb.db.read_ahead), so PostgreSQL
    answers the next chunk's queries while this one is checked and written."""
    chunks = read_ahead(lambda: _chunks(learners, year)) if ahead else _chunks(learners, year)
    for chunk in chunks:
        yield from _chunk_rows(chunk)


@dataclass
class _Chunk:
    """A chunk of learners' values and their other records, by learner (payments: by
    episode)."""

    learners: list[tuple[Any, ...]]
    aims: dict[int, list[tuple[Any, ...]]]
    employment: dict[int, list[tuple[Any, ...]]]
    tags: dict[int, list[tuple[Any, ...]]]
    lldd: dict[int, list[tuple[Any, ...]]]
    fams: dict[int, list[tuple[Any, ...]]]
    payments: dict[int, list[tuple[Any, ...]]]


def _chunks(learners: QuerySet[Learner], year: CollectionYear) -> Iterator[_Chunk]:
    rows = (
        learners.order_by("lrn", "id").values_list(*LEARNER_FIELDS).iterator(chunk_size=ROWS_CHUNK)
    )
    while chunk := list(itertools.islice(rows, ROWS_CHUNK)):
        yield _read_chunk(chunk, year)


def _grouped(queryset: QuerySet[Any], *fields: str) -> dict[int, list[tuple[Any, ...]]]:
    """The rows of `queryset` by their first field (a learner's or an episode's id), each
    key's rows in the query's order."""
    by_key: dict[int, list[tuple[Any, ...]]] = {}
    for values in queryset.values_list(*fields):
        found = by_key.get(values[0])
        if found is None:
            by_key[values[0]] = [values]
        else:
            found.append(values)
    return by_key


def _read_chunk(chunk: list[tuple[Any, ...]], year: CollectionYear) -> _Chunk:
    ids = Ids(values[0] for values in chunk)
    aim_rows = _grouped(
        _year_aims(year).filter(learner_id__any_of=ids).order_by("start_date", "aim_type", "id"),
        *AIM_FIELDS,
    )
    employment_rows = _grouped(
        EmploymentStatus.objects.filter(learner_id__any_of=ids).order_by("date_applies", "id"),
        "learner_id",
        "status",
        "date_applies",
        "employer__ern",
        "employment_intensity",
        "length_of_employment",
    )
    tag_rows = _grouped(
        Learner.tags.through.objects.filter(learner_id__any_of=ids), "learner_id", "tag__name"
    )
    lldd_rows = _grouped(
        LearnerLLDD.objects.filter(learner_id__any_of=ids).order_by("-primary", "category"),
        "learner_id",
        "category",
        "primary",
    )
    fam_rows = _grouped(
        LearnerFAM.objects.filter(learner_id__any_of=ids).order_by("fam_type", "fam_code"),
        "learner_id",
        "fam_type",
        "fam_code",
    )
    # PMR payments of the chunk's episodes (the aims name them), by episode.
    episodes = {a[1] for found in aim_rows.values() for a in found}
    payment_rows = _grouped(
        PaymentRecord.objects.filter(
            episode_id__any_of=Ids(episodes),
            system_type__in=_PMR_CODES,
            actual_date__isnull=False,
            actual_amount__isnull=False,
        ).order_by("actual_date", "id"),
        "episode_id",
        "system_type",
        "actual_date",
        "actual_amount",
    )
    return _Chunk(chunk, aim_rows, employment_rows, tag_rows, lldd_rows, fam_rows, payment_rows)


def _chunk_rows(read: _Chunk) -> Iterator[Row]:
    aim_rows, employment_rows, tag_rows = read.aims, read.employment, read.tags
    lldd_rows, fam_rows, payment_rows = read.lldd, read.fams, read.payments
    none: list[tuple[Any, ...]] = []
    for values in read.learners:
        row: Row = dict(zip(LEARNER_FIELDS, values, strict=True))
        learner_id = values[0]
        row["aims"] = [
            dict(zip(AIM_FIELDS, a, strict=True)) for a in aim_rows.get(learner_id, none)
        ]
        row["employment"] = [
            {
                "status": e[1],
                "date_applies": e[2],
                "employer__ern": e[3],
                "employment_intensity": e[4],
                "length_of_employment": e[5],
            }
            for e in employment_rows.get(learner_id, none)
        ]
        row["tag"] = min((t[1] for t in tag_rows.get(learner_id, none)), default="")
        row["lldd"] = [(c[1], c[2]) for c in lldd_rows.get(learner_id, none)]
        row["fams"] = [(f[1], f[2]) for f in fam_rows.get(learner_id, none)]
        row["payments"] = {
            a[1]: [(_PMR_CODES[p[1]], p[2], p[3]) for p in payment_rows[a[1]]]
            for a in aim_rows.get(learner_id, none)
            if a[1] in payment_rows
        }
        yield row


def _learner_problems(learner: Row, monitoring: list[str], ukprn: str) -> list[str]:
    reasons = []
    if not identifiers.lrn_ok(learner["lrn"]):
        reasons.append("The learner reference number is not 1-12 letters, digits and spaces.")
    uln = learner["uln"]
    if not uln:
        reasons.append("No ULN (give 9999999999 while the learner has none).")
    elif uln != identifiers.TEMPORARY_ULN and identifiers.uln_problem(uln):
        reasons.append(identifiers.uln_problem(uln) or "")
    for label, key in (("family name", "family_name"), ("given names", "given_names")):
        if learner[key] and not _NAME.match(learner[key]):
            reasons.append(f"The {label} has digits, tabs, quotes or | in it, or is too long.")
    if not learner["sex"]:
        reasons.append("No sex recorded.")
    if not learner["postcode"]:
        reasons.append("No postcode.")
    if not learner["postcode_prior"]:
        reasons.append("No postcode prior to enrolment (ZZ99 9ZZ if unknown).")
    if learner["email"] and (len(learner["email"]) > 100 or "@" not in learner["email"]):
        reasons.append("The email address is longer than 100 characters.")
    for aim in learner["aims"]:
        if not aim["delivery_postcode"]:
            reasons.append(f"Aim {aim['aim_ref']} has no delivery postcode.")
        for price in (aim["training_price"], aim["epa_price"]):
            if price is not None and price != price.to_integral_value():
                reasons.append(
                    f"Aim {aim['aim_ref']} has a price with pence: the ILR takes pounds."
                )
    for position, choice in enumerate(monitoring):
        if _MONITORING_LONGEST[choice] <= 20:
            continue
        targets = [None, *learner["aims"]] if position < 2 else learner["aims"]
        if any(len(monitoring_value(choice, position, learner, a, ukprn)) > 20 for a in targets):
            reasons.append(
                f"Monitoring {'ABCD'[position]} ({M(choice).label}) is longer than 20 characters."
            )
    for aim in learner["aims"]:
        for code, when, amount in learner["payments"].get(aim["episode_id"], []):
            if amount != amount.to_integral_value():
                reasons.append(
                    f"Payment PMR{code} of {when:%d/%m/%Y} has pence: the ILR takes pounds."
                )
    return reasons


def _header(*, year: CollectionYear, ukprn: str, serial: int, at: datetime) -> Any:
    """Header, without a namespace of its own (it takes Message's default one)."""
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    for tag, value in (
        ("Collection", "ILR"),
        ("Year", year.code),
        ("FilePreparationDate", f"{at:%Y-%m-%d}"),
    ):
        etree.SubElement(details, tag).text = value
    source = etree.SubElement(header, "Source")
    for tag, value in (
        ("ProtectiveMarking", "OFFICIAL-SENSITIVE-Personal"),
        ("UKPRN", ukprn),
        ("SoftwareSupplier", "picsweb"),
        ("SoftwarePackage", "picsweb"),
        ("Release", "1.0"),
        ("SerialNo", f"{serial:02d}"),
        ("DateTime", f"{at:%Y-%m-%dT%H:%M:%S}"),
    ):
        etree.SubElement(source, tag).text = value
    return header


# As FIS writes it (double quotes); lxml's write_declaration would use single ones.
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


@dataclass
class _Checked:
    xml: str | None  # the Learner element as written (None: it could not be)
    reasons: list[str]  # why the learner is left out (none: the element goes in the file)
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]


def _check_row(
    row: Row,
    *,
    monitoring: list[str],
    ukprn: str,
    year: CollectionYear,
    schema: Any,
    context: Context,
) -> _Checked:
    """One learner as the export checks them, in order: our own checks, the learner's ILR
    record and its element (each value against the XSD's facets when `schema` is given, so
    one odd value leaves out its own learner, never fails the whole file), then ESFA's rules
    on that record — an error leaves the learner out (ESFA would reject them, unfunded until
    the next return), a warning is told."""
    reasons = _learner_problems(row, monitoring, ukprn)
    if reasons:
        return _Checked(None, reasons, [], [])
    try:
        record = learner_record(row, monitoring, ukprn, year.ends)
        xml = learner_xml(record)
    except BadValue as bad:
        return _Checked(None, [bad.reason], [], [])
    if schema is not None:
        reasons = learner_problems(schema, etree.fromstring(xml))
        if reasons:
            return _Checked(xml, reasons, [], [])
    errors, warnings = ilr_rule_failures(record=record, context=context)
    return _Checked(xml, [_reason(f) for f in errors], errors, warnings)


def ilr_write(
    *,
    export: IlrExport,
    year: CollectionYear,
    at: datetime,
    handle: IO[bytes],
    progress: Any = None,
    learners: QuerySet[Learner] | None = None,
    check_each: bool = True,
) -> Written:
    """Writes the file to `handle`; returns how many learners went in and who was left out.
    `learners`: those the export froze when it was created (default: the filters, now).
    `check_each`: each learner against the XSD's facets before it is written, so one odd
    value leaves out its own learner (about 65 microseconds a learner)."""
    provider = export.provider
    if learners is None:
        learners = ilr_learners(export=export, year=year)
    written = Written()
    checked = 0
    schema = learner_schema(str(SCHEMAS / year.schema_file))
    context = rules_context(year=year, ukprn=provider.ukprn, at=at.date())
    # Message holds the one namespace declaration of the file; every element below takes it.
    # The year's namespace is ours (years.py), so it needs no escaping.
    handle.write(DECLARATION + f'<Message xmlns="{year.namespace}">\n'.encode())
    handle.write(
        etree.tostring(_header(year=year, ukprn=provider.ukprn, serial=export.serial, at=at))
    )
    provider_el = etree.Element("LearningProvider")
    etree.SubElement(provider_el, "UKPRN").text = provider.ukprn
    handle.write(b"\n" + etree.tostring(provider_el) + b"\n")
    for learner in _rows(learners, year, ahead=True):
        checks = _check_row(
            learner,
            monitoring=export.monitoring,
            ukprn=provider.ukprn,
            year=year,
            schema=schema if check_each else None,
            context=context,
        )
        name = f"{learner['given_names']} {learner['family_name']}"
        if checks.warnings:
            written.warnings.append(
                Problem(
                    str(learner["code"]),
                    learner["lrn"],
                    name,
                    [_reason(f) for f in checks.warnings],
                    checks.warnings,
                )
            )
        if checks.reasons or checks.xml is None:
            written.problems.append(
                Problem(str(learner["code"]), learner["lrn"], name, checks.reasons, checks.errors)
            )
        else:
            # A line each, so a schema error's line names its learner; written at once, so
            # the validator process (reading the other end of a 64 KB pipe) keeps pace.
            handle.write(checks.xml.encode() + b"\n")
            written.learners += 1
        checked += 1
        if checked % CHUNK == 0 and progress:
            progress(checked)
    handle.write(b"</Message>")
    if progress:
        progress(checked)
    return written


def ilr_validate(*, handle: IO[bytes], year: CollectionYear) -> None:
    """Validates a written file against the year's XSD, streaming; on the first error raises
    IlrExportError naming the learner and the element."""
    handle.seek(0)
    problem = validate_stream(handle, schema=schema_for(year), namespace=year.namespace)
    if problem:
        raise IlrExportError(_schema_failure(handle, problem, year))


def _schema_failure(handle: IO[bytes], problem: dict[str, Any], year: CollectionYear) -> str:
    """The message of a file the XSD refuses, naming the learner at fault."""
    schema = learner_schema(str(SCHEMAS / year.schema_file))
    learner = first_refused_learner(handle, schema) or problem["current"]
    return (
        f"The file is not valid against the ILR {year.label} schema at learner {learner}: "
        f"{problem['message']}"
    )


class Discard:
    """A file that keeps nothing: a check-only run writes every learner to it."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass


class _ValidatingFile:
    """Writes to `handle` and, at the same time, to a validator process (see validation.py),
    so the file is checked while it is written. `finish` returns the validator's verdict."""

    def __init__(self, handle: IO[bytes], year: CollectionYear) -> None:
        self.handle = handle
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish()
        # Our own interpreter running our own module with our schema path: no user input.
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "ilr_exports.validation",
                str(SCHEMAS / year.schema_file),
                year.namespace,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            cwd=Path(__file__).resolve().parent.parent,
        )
        self.closed_early = False

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        if not self.closed_early:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(data)
            except BrokenPipeError:  # the validator stopped at an error: finish() tells it
                self.closed_early = True
        return len(data)

    def finish(self, year: CollectionYear, *, name_learner: bool = True) -> str | None:
        """The validator's verdict: None (valid) or the problem for the user, naming the
        learner at fault when `name_learner` (a second read of the file)."""
        try:
            output, _ = self.process.communicate(timeout=600)
        except (BrokenPipeError, ValueError):
            output = self.process.stdout.read() if self.process.stdout else b""
            self.process.wait()
        finally:
            self.errors.seek(0)
            stderr = self.errors.read().decode(errors="replace")
            self.errors.close()
        if self.process.returncode != 0:
            raise IlrExportError(f"The ILR file could not be validated: {stderr[-500:]}")
        problem = json.loads(output)["problem"]
        if not problem:
            return None
        return _schema_failure(self.handle, problem, year) if name_learner else problem["message"]


def ilr_write_validated(
    *,
    export: IlrExport,
    year: CollectionYear,
    at: datetime,
    handle: IO[bytes],
    progress: Any = None,
    learners: QuerySet[Learner] | None = None,
) -> tuple[Written, str | None]:
    """ilr_write, with the file validated against the XSD as it is written; returns what
    went in and the first schema problem (None: valid).

    The validator process checks the whole file on the other core, so the first pass writes
    without checking each learner in this process (the slowest part of writing). Only when
    the validator refuses something does a second pass write the file again checking each
    learner, which leaves out the learners at fault with their reasons (ilr_write)."""
    first = _write_validating(
        export=export,
        year=year,
        at=at,
        handle=handle,
        progress=progress,
        learners=learners,
        check_each=False,
    )
    if first is not None:
        return first
    handle.seek(0)
    handle.truncate()
    second = _write_validating(
        export=export,
        year=year,
        at=at,
        handle=handle,
        progress=progress,
        learners=learners,
        check_each=True,
    )
    assert second is not None
    return second


def _write_validating(
    *,
    export: IlrExport,
    year: CollectionYear,
    at: datetime,
    handle: IO[bytes],
    progress: Any,
    learners: QuerySet[Learner] | None,
    check_each: bool,
) -> tuple[Written, str | None] | None:
    """One pass of ilr_write_validated. None: the validator refused the file in a pass that
    did not check each learner (write it again, checking). lxml's streaming validator reports
    a refusal only at the end of the file, so the unchecked pass always writes it whole."""
    target = _ValidatingFile(handle, year)
    try:
        written = ilr_write(
            export=export,
            year=year,
            at=at,
            handle=target,  # type: ignore[arg-type]
            progress=progress,
            learners=learners,
            check_each=check_each,
        )
    except BaseException:
        target.process.kill()
        target.process.wait()
        raise
    if not written.learners:
        target.process.kill()
        target.process.wait()
        return written, None
    problem = target.finish(year, name_learner=check_each)
    if problem and not check_each:
        return None
    return written, problem


def ilr_export_record(
    *,
    provider: Provider,
    user: Any,
    year: CollectionYear,
    filters: dict[str, Any],
    monitoring: list[str],
    check_only: bool = False,
) -> IlrExport:
    """The export's row with the provider's next serial (the provider row is locked while
    the serial is taken, so two exports never share one). A check takes no serial."""
    with transaction.atomic():
        Provider.objects.select_for_update().get(pk=provider.pk)
        return IlrExport.objects.create(
            provider=provider,
            created_by=user,
            year_code=year.code,
            serial=0 if check_only else ilr_next_serial(provider=provider, year=year),
            filters=filters,
            monitoring=monitoring,
            check_only=check_only,
        )


def ilr_learner_check(*, learner: Learner, year: CollectionYear, at: date) -> list[Missing]:
    """What stops this learner going in the year's ILR file, as the export would say it (our
    checks, then ESFA's rules; warnings too): the learner record's "Ready for ILR" panel."""
    export = IlrExport(provider=learner.provider, year_code=year.code, serial=1)
    export.monitoring = ["as_entered"] * 4
    rows = list(_rows(Learner.objects.filter(pk=learner.pk), year))
    if not rows or not rows[0]["aims"]:
        return [Missing(f"No learning aim in {year.label}: the learner is not in its file.", "")]
    checks = _check_row(
        rows[0],
        monitoring=export.monitoring,
        ukprn=learner.provider.ukprn,
        year=year,
        schema=learner_schema(str(SCHEMAS / year.schema_file)),
        context=rules_context(year=year, ukprn=learner.provider.ukprn, at=at),
    )
    if not checks.errors and checks.reasons:  # our checks or the XSD's, before the rules
        return [Missing(reason, "") for reason in checks.reasons]
    return [
        Missing(("" if f["severity"] == "error" else "Warning: ") + _reason(f), f["fix"])
        for f in checks.errors + checks.warnings
    ]


def learner_ready_for_ilr(learner: Learner, today: date) -> list[Missing]:
    return ilr_learner_check(learner=learner, year=NEWEST, at=today)
