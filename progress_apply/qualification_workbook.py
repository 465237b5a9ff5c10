"""The bulk qualification workbook (seed 003 §9, inventory E2/E3, R50-R57): an export per
learner year group and its import on the shared pipeline.

The workbook has four sheets: 'Qualification Type', 'Qualification Subject' (subjects listed
by type), 'Qualification Grading' (grades by type) and 'Learner Qualifications': one row per
learner whose qualifications the manager adds, 8 identity columns then 5 columns for each of
up to 18 qualifications (98 columns), pre-filled with the learner's current ones, with
drop-down lists on the qualification cells drawn from sheets 1-3. The edited workbook imports
on the shared pipeline (report, errors by row, confirm, background job, email, undo): a row's
qualifications replace that learner's list, verified as added by a manager; the identity
columns must not change; type, subject and grades must belong together (profiles.py's rule,
the same as the form's)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone

from learners.reference_data import postcode_district
from picsweb import exports
from picsweb.access import access_for
from picsweb.imports.cells import as_text
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
from picsweb.models import BatchChange, ImportBatch, Provider, Role
from picsweb.spreadsheets import xlsx_cell
from progress_apply import profiles
from progress_apply.models import (
    PortalLearner,
    Qualification,
    QualificationGrade,
    QualificationSubject,
    QualificationType,
    SectionStatus,
    YearGroup,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SHEET_TYPES = "Qualification Type"
SHEET_SUBJECTS = "Qualification Subject"
SHEET_GRADES = "Qualification Grading"
SHEET_LEARNERS = "Learner Qualifications"

ACCOUNT = "UCAS Account ID"
UPN = "UPN"
ULN = "ULN"
FORENAME = "Forename"
SURNAME = "Surname"
DOB = "Date of Birth"
PROVIDER = "Current Provider"
AREA = "Current Area"
IDENTITY = [ACCOUNT, UPN, ULN, FORENAME, SURNAME, DOB, PROVIDER, AREA]
MAX = profiles.MAX_QUALIFICATIONS  # 18 (seed §9.2)
READ_UP_TO = 30  # columns of a 19th... qualification are read, to refuse it by row


def qualification_columns(n: int) -> list[str]:
    return [
        f"Qualification Type {n}*",
        f"Qualification Subject {n}*",
        f"Qualification Completion Date {n}",
        f"Qualification Predicted Grade {n}*",
        f"Qualification Actual Grade {n}*",
    ]


COLUMNS = IDENTITY + [c for n in range(1, MAX + 1) for c in qualification_columns(n)]
assert len(COLUMNS) == 98


# --- the export (E2) -------------------------------------------------------------------------


def export_learners(*, user: User, provider: Provider, year_group: int) -> QuerySet[PortalLearner]:
    """The learners of a year group the workbook is for: those the user manages (groups
    included) whose qualifications a manager adds (R50)."""
    visible = access_for(user).scoped(
        PortalLearner.objects.filter(provider=provider, year_group=year_group),
        Role.LEARNER_MANAGER,
    )
    return PortalLearner.objects.filter(
        pk__in=profiles.with_effective_settings(visible).filter(manager_adds=True).values("pk")
    )


def _identity(learner: PortalLearner) -> list[Any]:
    return [
        str(learner.code),
        learner.upn,
        learner.uln,
        learner.user.first_name,
        learner.user.last_name,
        learner.date_of_birth,
        learner.provider.name,
        postcode_district(learner.postcode),
    ]


def workbook_write(
    *,
    rows: QuerySet[Any],
    provider: Provider,
    params: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> File[bytes]:
    """The four-sheet workbook of `rows` (portal learners), each cell safe from formula
    injection; qualification cells offer drop-down lists of sheets 1-3."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    types = list(QualificationType.objects.all())
    type_sheet = workbook.create_sheet(SHEET_TYPES)
    type_sheet.append(["Qualification Type", "RQF level"])
    for kind in types:
        type_sheet.append([xlsx_cell(type_sheet, kind.name), xlsx_cell(type_sheet, kind.level)])
    subject_sheet = workbook.create_sheet(SHEET_SUBJECTS)
    subject_sheet.append(["Qualification Type", "Qualification Subject"])
    subjects = QualificationSubject.objects.select_related("type").order_by(
        "type__position", "type__name", "name"
    )
    subject_count = 0
    for subject in subjects.iterator(chunk_size=5000):
        subject_sheet.append(
            [xlsx_cell(subject_sheet, subject.type.name), xlsx_cell(subject_sheet, subject.name)]
        )
        subject_count += 1
    grade_sheet = workbook.create_sheet(SHEET_GRADES)
    grade_sheet.append(["Qualification Type", "Grade"])
    grades = QualificationGrade.objects.select_related("type").order_by(
        "type__position", "type__name", "rank"
    )
    grade_count = 0
    for grade in grades:
        grade_sheet.append(
            [xlsx_cell(grade_sheet, grade.type.name), xlsx_cell(grade_sheet, grade.grade)]
        )
        grade_count += 1

    sheet = workbook.create_sheet(SHEET_LEARNERS)
    learners = (
        rows.select_related("user", "provider")
        .prefetch_related("qualifications__type", "qualifications__subject")
        .prefetch_related("qualifications__predicted_grade", "qualifications__actual_grade")
        .order_by("user__last_name", "user__first_name", "id")
    )
    count = learners.count()
    last_row = max(count + 1, 2)
    lists = {
        0: f"'{SHEET_TYPES}'!$A$2:$A${len(types) + 1}",
        1: f"'{SHEET_SUBJECTS}'!$B$2:$B${subject_count + 1}",
        3: f"'{SHEET_GRADES}'!$B$2:$B${grade_count + 1}",
        4: f"'{SHEET_GRADES}'!$B$2:$B${grade_count + 1}",
    }
    from openpyxl.utils import get_column_letter

    for offset, formula in lists.items():
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.error = "Choose a value from the list (sheets 1-3 of this workbook)."
        for n in range(MAX):
            column = get_column_letter(len(IDENTITY) + 1 + 5 * n + offset)
            validation.add(f"{column}2:{column}{last_row}")
        sheet.data_validations.append(validation)
    sheet.append(COLUMNS)
    for done, learner in enumerate(learners.iterator(chunk_size=1000), start=1):
        values = _identity(learner)
        for q in list(learner.qualifications.all())[:MAX]:
            values += [
                q.type.name,
                q.subject.name,
                q.completed_on.strftime("%Y-%m") if q.completed_on else "",
                q.predicted_grade.grade if q.predicted_grade else "",
                q.actual_grade.grade if q.actual_grade else "",
            ]
        sheet.append([xlsx_cell(sheet, v, number_format="yyyy-mm-dd") for v in values])
        if progress and done % 1000 == 0:
            progress(done)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the job once saved
    workbook.save(handle)
    handle.seek(0)
    return File(handle)


def _file_name(params: dict[str, Any]) -> str:
    year = YearGroup(params["year_group"]).label.replace(" ", "-").lower()
    return f"learner-qualifications-{year}-{timezone.localdate():%Y-%m-%d}.xlsx"


def _scope(provider: Provider) -> QuerySet[PortalLearner]:
    return PortalLearner.objects.filter(provider=provider)


QUALIFICATION_EXPORT = exports.register_export(
    exports.ExportSpec(
        kind="progress_apply.qualifications_export",
        label="Learner qualifications export",
        role=Role.LEARNER_MANAGER,
        scope=_scope,
        write=workbook_write,
        file_name=_file_name,
        direct=False,  # the seed runs it in the background and emails when it is ready
    )
)


# --- the import (E3) -------------------------------------------------------------------------


@dataclass
class _Learner:
    pk: int
    identity: dict[str, str]
    manager_adds: bool
    qualifications: list[dict[str, Any]]


@dataclass
class Context:
    provider: Provider
    owner: User | None
    learners: dict[str, _Learner] = field(default_factory=dict)
    types: dict[str, QualificationType] = field(default_factory=dict)
    subjects: dict[tuple[int, str], QualificationSubject] = field(default_factory=dict)
    grades: dict[tuple[int, str], QualificationGrade] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)


def _key(text: str) -> str:
    return " ".join(text.split()).upper()


def _as_dob(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return as_text(value).strip()[:10]


def _as_month(value: Cell) -> date:
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    text = as_text(value).strip()
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError
        return date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise ValueError("Give the completion date as YYYY-MM, for example 2026-06") from None


def _listed(qualifications: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """A list of qualifications in an order-free form, to tell whether a row changes it."""
    return sorted(
        (
            q["type_id"],
            q["subject_id"],
            q["completed_on"],
            q["predicted_grade_id"],
            q["actual_grade_id"],
        )
        for q in qualifications
    )


class QualificationWorkbookImport(ImportSpec):
    kind = "portal_qualifications"
    label = "Learner qualifications import"
    role = Role.LEARNER_MANAGER
    formats = ("xlsx",)
    sheet = SHEET_LEARNERS

    def columns(self, provider: Provider) -> list[str]:
        extra = [c for n in range(MAX + 1, READ_UP_TO + 1) for c in qualification_columns(n)]
        return COLUMNS + extra

    def check_columns(self, present: set[str], provider: Provider) -> None:
        missing = [name for name in IDENTITY if name not in present]
        if missing:
            raise ImportFileError(
                f"The sheet '{SHEET_LEARNERS}' has no {', '.join(missing)} column. Export the "
                "workbook again and fill in its qualification columns only."
            )

    def begin_for(self, provider: Provider, owner: User | None) -> Context:
        ctx = Context(provider, owner)
        types = list(QualificationType.objects.all())
        ctx.types = {_key(t.name): t for t in types}
        for subject in QualificationSubject.objects.all().iterator(chunk_size=5000):
            ctx.subjects[(subject.type_id, _key(subject.name))] = subject
        for grade in QualificationGrade.objects.all():
            ctx.grades[(grade.type_id, _key(grade.grade))] = grade
        return ctx

    def preload(self, context: Any, rows: Sequence[Row]) -> None:
        ctx: Context = context
        codes = {as_text(r.get(ACCOUNT)).strip() for r in rows if r.get(ACCOUNT) is not None}
        codes = {c for c in codes if len(c) == 36 and c not in ctx.learners}
        if not codes:
            return
        user = ctx.owner
        visible = PortalLearner.objects.filter(provider=ctx.provider, code__in=codes)
        if user is not None:
            visible = access_for(user).scoped(visible, Role.LEARNER_MANAGER)
        found = profiles.with_effective_settings(visible).select_related("user", "provider")
        by_pk: dict[int, _Learner] = {}
        for learner in found:
            ident = _identity(learner)
            ident[5] = learner.date_of_birth.isoformat()
            item = _Learner(
                learner.pk,
                dict(zip(IDENTITY, (str(v) for v in ident), strict=True)),
                bool(learner.manager_adds),
                [],
            )
            ctx.learners[str(learner.code)] = by_pk[learner.pk] = item
        for q in Qualification.objects.filter(learner_id__in=by_pk).values(
            "learner_id",
            "type_id",
            "subject_id",
            "completed_on",
            "predicted_grade_id",
            "actual_grade_id",
        ):
            held: dict[str, Any] = dict(q)
            by_pk[held.pop("learner_id")].qualifications.append(held)

    def validate(self, context: Any, row: Row) -> Change | list[Problem]:
        ctx: Context = context
        code = as_text(row.get(ACCOUNT)).strip() if row.get(ACCOUNT) is not None else ""
        learner = ctx.learners.get(code)
        if learner is None:
            return [
                Problem(
                    row.number,
                    ACCOUNT,
                    code,
                    "This UCAS Account ID is not a learner you manage at "
                    f"{ctx.provider.name}: export the workbook again",
                )
            ]
        problems: list[Problem] = []
        if not learner.manager_adds:
            problems.append(
                Problem(
                    row.number,
                    ACCOUNT,
                    code,
                    "This learner adds their own qualifications: only learners whose "
                    "qualifications you add can be imported",
                )
            )
        if code in ctx.seen:
            problems.append(
                Problem(row.number, ACCOUNT, code, f"This learner is on row {ctx.seen[code]} too")
            )
        for column in IDENTITY[1:]:
            raw = row.get(column)
            value = "" if raw is None else (_as_dob(raw) if column == DOB else as_text(raw).strip())
            if _key(value) != _key(learner.identity[column]):
                problems.append(
                    Problem(
                        row.number,
                        column,
                        value,
                        f"Do not change this column: it was '{learner.identity[column]}' when "
                        "the workbook was exported",
                    )
                )
        qualifications = self._qualifications(ctx, row, problems)
        if problems:
            return problems
        ctx.seen[code] = row.number
        label = f"{learner.identity[FORENAME]} {learner.identity[SURNAME]}"
        if _listed(qualifications) == _listed(learner.qualifications):
            return Change(row.number, "unchanged", label)
        return Change(
            row.number,
            "update",
            label,
            diffs=[
                (
                    "Qualifications",
                    f"{len(learner.qualifications)} qualifications",
                    f"{len(qualifications)} qualifications",
                )
            ],
            payload={"learner_id": learner.pk, "qualifications": qualifications},
        )

    def _qualifications(
        self, ctx: Context, row: Row, problems: list[Problem]
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for n in range(1, READ_UP_TO + 1):
            names = qualification_columns(n)
            raw = [row.get(name) for name in names]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
                continue
            if n > MAX:
                problems.append(
                    Problem(row.number, names[0], as_text(raw[0] or ""), profiles.TOO_MANY)
                )
                continue
            type_text = as_text(raw[0] or "").strip()
            kind = ctx.types.get(_key(type_text))
            if kind is None:
                problems.append(
                    Problem(
                        row.number,
                        names[0],
                        type_text,
                        f"Choose a qualification type from the sheet '{SHEET_TYPES}'",
                    )
                )
                continue
            subject_text = as_text(raw[1] or "").strip()
            subject = ctx.subjects.get((kind.pk, _key(subject_text)))
            if subject is None:
                problems.append(
                    Problem(
                        row.number,
                        names[1],
                        subject_text,
                        f"{profiles.SUBJECT_NOT_OF_TYPE} ({kind.name}: the sheet "
                        f"'{SHEET_SUBJECTS}')",
                    )
                )
            grades: list[QualificationGrade | None] = []
            for index in (3, 4):
                text = as_text(raw[index] or "").strip()
                grade = ctx.grades.get((kind.pk, _key(text))) if text else None
                if text and grade is None:
                    problems.append(
                        Problem(
                            row.number,
                            names[index],
                            text,
                            f"{profiles.GRADE_NOT_OF_TYPE} ({kind.name}: the sheet "
                            f"'{SHEET_GRADES}')",
                        )
                    )
                grades.append(grade)
            if not as_text(raw[3] or "").strip() and not as_text(raw[4] or "").strip():
                problems.append(Problem(row.number, names[3], "", profiles.GRADE_NEEDED))
            completed_on = None
            if raw[2] is not None and as_text(raw[2]).strip():
                try:
                    completed_on = _as_month(raw[2])
                except ValueError as error:
                    problems.append(Problem(row.number, names[2], as_text(raw[2]), str(error)))
            if subject is not None:
                found.append(
                    {
                        "type_id": kind.pk,
                        "subject_id": subject.pk,
                        "completed_on": completed_on,
                        "predicted_grade_id": grades[0].pk if grades[0] else None,
                        "actual_grade_id": grades[1].pk if grades[1] else None,
                    }
                )
        return found

    def apply(self, context: Any, changes: list[Change], batch: ImportBatch) -> None:
        ctx: Context = context
        updates = [c.payload for c in changes if c.action == "update"]
        if not updates:
            return
        ids = [p["learner_id"] for p in updates]
        learners = PortalLearner.objects.select_for_update().filter(
            pk__in=ids, provider=ctx.provider
        )
        if ctx.owner is not None:
            learners = access_for(ctx.owner).scoped(learners, Role.LEARNER_MANAGER)
        still = {learner.pk: learner for learner in learners}
        if len(still) != len(set(ids)):
            raise StaleImportError(
                "Some learners in this file are no longer yours to manage. Nothing was imported."
            )
        before: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
        for q in Qualification.objects.filter(learner_id__in=ids).values(
            "learner_id",
            "type_id",
            "subject_id",
            "completed_on",
            "predicted_grade_id",
            "actual_grade_id",
            "verified",
            "added_by_id",
        ):
            kept: dict[str, Any] = dict(q)
            learner_id = kept.pop("learner_id")
            kept["completed_on"] = (
                kept["completed_on"].isoformat() if kept["completed_on"] else None
            )
            before[learner_id].append(kept)
        BatchChange.objects.bulk_create(
            BatchChange(
                batch=batch,
                object_id=pk,
                before={
                    "qualifications": before[pk],
                    "status": still[pk].qualifications_status,
                },
            )
            for pk in ids
        )
        Qualification.objects.filter(learner_id__in=ids).delete()
        owner_id = ctx.owner.pk if ctx.owner is not None else None
        Qualification.objects.bulk_create(
            [
                Qualification(
                    learner_id=p["learner_id"],
                    verified=True,
                    added_by_id=owner_id,
                    **{**q, "completed_on": _date(q["completed_on"])},
                )
                for p in updates
                for q in p["qualifications"]
            ],
            batch_size=5000,
        )
        # The section opens again (R28), but not on an approved profile: a manager's change
        # keeps it approved and so complete (profiles.manager_keeps_approval).
        now = timezone.now()
        PortalLearner.objects.filter(pk__in=ids, approved_at__isnull=True).update(
            qualifications_status=SectionStatus.IN_PROGRESS, updated_at=now
        )
        PortalLearner.objects.filter(pk__in=ids, approved_at__isnull=False).update(updated_at=now)

    def undo(self, batch: ImportBatch) -> None:
        """Puts back each learner's qualifications as they were, unless a profile changed
        since (a later edit would be lost)."""
        changes = list(batch.changes.all())
        ids = [c.object_id for c in changes]
        assert batch.applied_at is not None
        changed = PortalLearner.objects.filter(pk__in=ids, updated_at__gt=batch.applied_at)
        names = list(changed.values_list("user__username", flat=True)[:5])
        if names:
            raise UndoRefused(
                "These learners' profiles changed after the import, so it cannot be undone: "
                f"{', '.join(names)}. Change their qualifications one by one instead."
            )
        Qualification.objects.filter(learner_id__in=ids).delete()
        Qualification.objects.bulk_create(
            [
                Qualification(
                    learner_id=c.object_id, **{**q, "completed_on": _date(q["completed_on"])}
                )
                for c in changes
                for q in c.before["qualifications"]
            ]
        )
        for c in changes:
            PortalLearner.objects.filter(pk=c.object_id).update(
                qualifications_status=c.before["status"]
            )


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


QUALIFICATION_IMPORT = register_import(QualificationWorkbookImport())


def workbook_bytes(learners: QuerySet[PortalLearner], provider: Provider) -> bytes:
    """The workbook in memory (tests, the command line)."""
    handle = workbook_write(rows=learners, provider=provider, params={}, progress=None)
    with handle:
        return handle.read()
