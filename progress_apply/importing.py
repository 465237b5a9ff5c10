"""The learner import (seed 003 §7) as a spec of the shared import pipeline.

17 columns in the seed's order (§7.3); UKPRN, Learner year group, First name, Last name,
Postcode and Dob (YYYY-MM-DD) are mandatory; the rest are checked as on Create learner
(progress_apply.rules). The UKPRN must be one of a provider the importing manager manages.
A learner already there (same provider, names and date of birth, or the same ULN), or twice in
the file, is a row error. Usernames (initial + last name + digits when taken) and passwords
(8 unambiguous upper-case letters and digits) are made when the import is applied, so no
password is ever written to the plan file; the passwords are kept encrypted as issued ones.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from picsweb.access import access_for
from picsweb.bulk import insert_rows
from picsweb.imports.cells import CellError, as_text
from picsweb.imports.pipeline import (
    Change,
    ImportSpec,
    Problem,
    Row,
    StaleImportError,
    UndoRefused,
    register_import,
)
from picsweb.imports.reading import Cell, ImportFileError
from picsweb.models import ImportBatch, Provider, Role
from progress_apply import rules
from progress_apply.models import Ethnicity, Gender, PortalLearner, YearGroup
from progress_apply.services import issued_encrypt, unusable_password

if TYPE_CHECKING:
    from django.contrib.auth.models import User

UKPRN = "UKPRN"
YEAR_GROUP = "Learner year group"
FIRST_NAME = "First name"
LAST_NAME = "Last name"
POSTCODE = "Postcode"
DOB = "Dob"
# The seed's 17 columns, in its order (§7.3).
COLUMNS = [
    UKPRN,
    YEAR_GROUP,
    FIRST_NAME,
    LAST_NAME,
    POSTCODE,
    DOB,
    "Email address",
    "House name or number",
    "Street",
    "Locality",
    "Town",
    "Telephone",
    "ULN",
    "UPN",
    "CCIS",
    "Gender",
    "Ethnicity",
]
MANDATORY = (UKPRN, YEAR_GROUP, FIRST_NAME, LAST_NAME, POSTCODE, DOB)
TEXT_COLUMNS = {
    "House name or number": "house",
    "Street": "street",
    "Locality": "locality",
    "Town": "town",
}
_YEAR_GROUPS = {str(value): value for value in YearGroup.values} | {
    label.upper(): value for value, label in YearGroup.choices
}


def _year_group(text: str) -> int:
    found = _YEAR_GROUPS.get(" ".join(text.split()).upper())
    if found is None:
        raise rules.RuleError("Give the year group as Year 7 to Year 14 (or 7 to 14)")
    return found


def _dob(value: Cell) -> date:
    if isinstance(value, datetime):
        born = value.date()
    elif isinstance(value, date):
        born = value
    else:
        text = as_text(value).strip()
        try:
            if len(text) != 10:
                raise ValueError
            born = date.fromisoformat(text)
        except ValueError:
            raise CellError(
                "Give the date of birth as YYYY-MM-DD, for example 2009-03-31"
            ) from None
    try:
        return rules.date_of_birth(born, today=timezone.localdate())
    except rules.RuleError as error:
        raise CellError(error.message) from None


@dataclass
class Context:
    provider: Provider
    owner: User | None
    providers: dict[str, Provider] = field(default_factory=dict)  # UKPRN -> managed provider
    existing_people: set[tuple[int, str, str, date]] = field(default_factory=set)
    existing_ulns: set[str] = field(default_factory=set)
    seen_people: dict[tuple[int, str, str, date], int] = field(default_factory=dict)
    seen_ulns: dict[str, int] = field(default_factory=dict)
    taken: set[str] | None = None  # upper-case usernames (loaded when applying)


def _person(provider_id: int, first: str, last: str, born: date) -> tuple[int, str, str, date]:
    return (provider_id, " ".join(first.split()).upper(), " ".join(last.split()).upper(), born)


class PortalLearnerImport(ImportSpec):
    kind = "portal_learners"
    label = "Learner import"
    role = Role.LEARNER_MANAGER
    formats = ("csv", "xlsx", "xls")

    def columns(self, provider: Provider) -> list[str]:
        return list(COLUMNS)

    def check_columns(self, present: set[str], provider: Provider) -> None:
        missing = [name for name in MANDATORY if name not in present]
        if missing:
            raise ImportFileError(
                f"The header row has no {', '.join(missing)} column: these columns are "
                f"mandatory. Download the learner import template for the columns."
            )

    def begin_for(self, provider: Provider, owner: User | None) -> Context:
        managed = access_for(owner).providers(Role.LEARNER_MANAGER) if owner else [provider]
        return Context(provider, owner, {p.ukprn: p for p in managed})

    def preload(self, context: Any, rows: Sequence[Row]) -> None:
        ctx: Context = context
        dobs: set[date] = set()
        ulns: set[str] = set()
        for row in rows:
            raw = row.get(DOB)
            if raw is not None:
                with contextlib.suppress(CellError):
                    dobs.add(_dob(raw))
            uln = row.get("ULN")
            if uln is not None:
                ulns.add(as_text(uln).strip())
        provider_ids = [p.pk for p in ctx.providers.values()]
        if dobs and provider_ids:
            for provider_id, first, last, born in PortalLearner.objects.filter(
                provider_id__in=provider_ids, date_of_birth__in=dobs
            ).values_list("provider_id", "user__first_name", "user__last_name", "date_of_birth"):
                ctx.existing_people.add(_person(provider_id, first, last, born))
        if ulns:
            ctx.existing_ulns |= set(
                PortalLearner.objects.filter(uln__in=ulns).values_list("uln", flat=True)
            )

    def validate(self, context: Any, row: Row) -> Change | list[Problem]:
        ctx: Context = context
        problems: list[Problem] = []

        def cell(column: str, parse: Callable[[Cell], Any]) -> Any:
            raw = row.get(column)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column in MANDATORY:
                    problems.append(Problem(row.number, column, "", f"{column} is mandatory"))
                    return None
                raw = ""
            try:
                return parse(raw)
            except (CellError, rules.RuleError) as error:
                problems.append(Problem(row.number, column, as_display(raw), error.message))
                return None

        def text_rule(rule: Callable[[str], Any]) -> Callable[[Cell], Any]:
            return lambda raw: rule(as_text(raw))

        ukprn = cell(UKPRN, text_rule(str.strip))
        provider = None
        if ukprn is not None:
            provider = ctx.providers.get(ukprn)
            if provider is None:
                problems.append(
                    Problem(
                        row.number,
                        UKPRN,
                        ukprn,
                        "This UKPRN is not one of a provider you manage learners for",
                    )
                )
        year_group = cell(YEAR_GROUP, text_rule(_year_group))
        first = cell(FIRST_NAME, text_rule(lambda t: rules.name(t)[:150]))
        last = cell(LAST_NAME, text_rule(lambda t: rules.name(t)[:150]))
        postcode = cell(POSTCODE, text_rule(rules.postcode))
        born = cell(DOB, _dob)
        values: dict[str, Any] = {
            "email": cell("Email address", text_rule(rules.email)),
            "telephone": cell("Telephone", text_rule(rules.telephone)),
            "uln": cell("ULN", text_rule(rules.uln)),
            "upn": cell("UPN", text_rule(rules.upn)),
            "ccis_id": cell("CCIS", text_rule(rules.ccis)),
            "gender": cell(
                "Gender", text_rule(lambda t: rules.choice_by_label(t, Gender, "Gender"))
            ),
            "ethnicity": cell(
                "Ethnicity",
                text_rule(lambda t: rules.choice_by_label(t, Ethnicity, "Ethnicity")),
            ),
        }
        for column, name in TEXT_COLUMNS.items():
            values[name] = cell(column, lambda raw: as_text(raw, max_length=100).strip())
        if problems:
            return problems
        assert provider is not None and born is not None
        person = _person(provider.pk, first, last, born)
        if person in ctx.existing_people:
            problems.append(
                Problem(
                    row.number,
                    "",
                    "",
                    "A learner with this first name, last name and date of birth is already "
                    f"at {provider.name}",
                )
            )
        elif person in ctx.seen_people:
            problems.append(
                Problem(
                    row.number,
                    "",
                    "",
                    "The same learner (first name, last name and date of birth) is on row "
                    f"{ctx.seen_people[person]} of this file",
                )
            )
        uln = values["uln"]
        if uln and uln in ctx.existing_ulns:
            problems.append(
                Problem(row.number, "ULN", uln, "A learner with this ULN is already registered")
            )
        elif uln and uln in ctx.seen_ulns:
            problems.append(
                Problem(
                    row.number, "ULN", uln, f"This ULN is on row {ctx.seen_ulns[uln]} of this file"
                )
            )
        if problems:
            return problems
        ctx.seen_people[person] = row.number
        if uln:
            ctx.seen_ulns[uln] = row.number
        payload = {
            "provider_id": provider.pk,
            "first_name": first,
            "last_name": last,
            "year_group": year_group,
            "postcode": postcode,
            "date_of_birth": born,
            **values,
        }
        return Change(row.number, "new", f"{first} {last}", payload=payload)

    # --- applying: usernames and passwords are made here ----------------------------------

    def _username(self, ctx: Context, first: str, last: str) -> str:
        assert ctx.taken is not None
        base = rules.username_base(first, last)
        candidate = base if len(base) >= 6 else None
        number = 0
        while candidate is None or candidate.upper() in ctx.taken:
            number += 1
            digits = str(number)
            if len(base) + len(digits) < 6:
                digits = digits.zfill(6 - len(base))
            candidate = base + digits
        ctx.taken.add(candidate.upper())
        return candidate

    def apply(self, context: Any, changes: list[Change], batch: ImportBatch) -> None:
        ctx: Context = context
        User = get_user_model()
        if ctx.taken is None:
            ctx.taken = set(User.objects.annotate(u=Upper("username")).values_list("u", flat=True))
        payloads = [change.payload for change in changes if change.action == "new"]
        if not payloads:
            return
        managed = {p.pk for p in ctx.providers.values()}
        if any(p["provider_id"] not in managed for p in payloads):
            raise StaleImportError(
                "You no longer manage learners at a provider in this file. Nothing was imported."
            )
        self._check_still_new(payloads)
        now = timezone.now()
        users = [
            User(
                username=self._username(ctx, p["first_name"], p["last_name"]),
                first_name=p["first_name"],
                last_name=p["last_name"],
                email=p["email"],
                password=unusable_password(),
                date_joined=now,
            )
            for p in payloads
        ]
        User.objects.bulk_create(users, batch_size=2000)
        created_by = ctx.owner.pk if ctx.owner is not None else None
        names = ("first_name", "last_name", "email")
        insert_rows(
            PortalLearner,
            (
                {
                    **{k: v for k, v in p.items() if k not in names},
                    "user_id": user.pk,
                    "issued_password": issued_encrypt(rules.generated_password()),
                    "must_change_password": True,
                    "created_by_id": created_by,
                    "created_batch_id": batch.pk,
                    "created_at": now,
                    "updated_at": now,
                }
                for p, user in zip(payloads, users, strict=True)
            ),
        )

    def _check_still_new(self, payloads: list[dict[str, Any]]) -> None:
        """A learner added since validation (by hand or another import) stops the import."""
        ulns = [p["uln"] for p in payloads if p["uln"]]
        clash = Q(uln__in=ulns) if ulns else Q(pk__in=[])
        dobs = {p["date_of_birth"] for p in payloads}
        providers = {p["provider_id"] for p in payloads}
        people = {
            _person(p["provider_id"], p["first_name"], p["last_name"], p["date_of_birth"])
            for p in payloads
        }
        found = PortalLearner.objects.filter(
            clash | Q(provider_id__in=providers, date_of_birth__in=dobs)
        ).values_list("uln", "provider_id", "user__first_name", "user__last_name", "date_of_birth")
        ulns_set = set(ulns)
        for uln, provider_id, first, last, born in found.iterator(chunk_size=5000):
            if (uln and uln in ulns_set) or _person(provider_id, first, last, born) in people:
                raise StaleImportError(
                    "Some learners in this file were added since it was validated. Nothing was "
                    "imported: import the file again to see which rows."
                )

    def undo(self, batch: ImportBatch) -> None:
        created = PortalLearner.objects.filter(created_batch=batch)
        used = created.filter(
            Q(user__last_login__isnull=False) | Q(updated_at__gt=batch.applied_at)
        )
        names = list(used.values_list("user__username", flat=True)[:5])
        if names:
            raise UndoRefused(
                "These learners logged in or were changed after the import, so it cannot be "
                f"undone: {', '.join(names)}. Delete learners one by one instead."
            )
        get_user_model().objects.filter(portal_learner__created_batch=batch).delete()


def as_display(value: Cell) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return "" if value is None else str(value)


LEARNER_IMPORT = register_import(PortalLearnerImport())


def import_template_xlsx() -> bytes:
    """The blank template (§7.2c): the 17 columns, mandatory ones marked in a second sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Learners"
    sheet.append(COLUMNS)
    for column_cells in sheet.iter_cols(min_row=1, max_row=1):
        for cell in column_cells:
            sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 2)
    notes = workbook.create_sheet("Notes")
    notes.append(["Column", "Mandatory", "How to fill it in"])
    help_text = {
        UKPRN: "The UKPRN of a provider you manage learners for, 8 digits",
        YEAR_GROUP: "Year 7 to Year 14 (or 7 to 14)",
        DOB: "YYYY-MM-DD, for example 2009-03-31",
        POSTCODE: "A full UK postcode",
        "Telephone": "A UK telephone number with no spaces, eg 0123456789",
        "ULN": "Unique Learner Number, 10 digits",
        "UPN": "Unique Pupil Number, 13 characters",
        "CCIS": "CCIS young person record ID, 10 characters",
        "Gender": ", ".join(str(label) for label in Gender.labels),
        "Ethnicity": "; ".join(str(label) for label in Ethnicity.labels),
    }
    for column in COLUMNS:
        notes.append([column, "Yes" if column in MANDATORY else "No", help_text.get(column, "")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
