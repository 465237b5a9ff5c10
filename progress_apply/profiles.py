"""The portal learner's profile (seed 003 §5.2, §5.4-5.6, §8): its three sections, the
qualifications, the personal statement, the reference, approval, the effective settings and
learner groups. Business rules of the profile live here (services.py holds accounts and the
learner records); views and forms call these functions and show their `RuleError` messages.

Who acts matters: `by` is the user doing it. A learner changing their own profile after it
was approved un-approves it (R36); a manager's change does not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from picsweb.access import Access, register_narrowing
from picsweb.emails import send_templated_email
from picsweb.models import Provider, Role
from progress_apply import applications
from progress_apply.models import (
    REFERENCE_RATINGS,
    LearnerGroup,
    PortalLearner,
    ProviderDefault,
    Qualification,
    QualificationGrade,
    QualificationSubject,
    QualificationType,
    Rating,
    Reference,
    SectionStatus,
    YearGroup,
)
from progress_apply.readiness import SECTIONS as SECTIONS
from progress_apply.readiness import manager_adds_qualifications as manager_adds_qualifications
from progress_apply.readiness import provider_settings as provider_settings
from progress_apply.readiness import referee_of as referee_of
from progress_apply.readiness import section_rows as section_rows
from progress_apply.readiness import section_status as section_status
from progress_apply.readiness import sign_off_applies as sign_off_applies
from progress_apply.readiness import with_effective_settings as with_effective_settings
from progress_apply.rules import RuleError, line_ends

COMPLETE = SectionStatus.COMPLETE
IN_PROGRESS = SectionStatus.IN_PROGRESS
MAX_QUALIFICATIONS = 18  # seed §9.2: the workbook holds 18; the form keeps to the same
STATEMENT_MAX = 4000  # characters (UCAS's personal statement limit)


MANAGER_ADDS = "Your learner manager adds your qualifications: ask them to make any change."
SUBJECT_NOT_OF_TYPE = "Choose a subject of this qualification type"
GRADE_NOT_OF_TYPE = "Choose a grade of this qualification type"
GRADE_NEEDED = "Enter a predicted grade or an actual grade, or both"
TOO_MANY = f"A learner can have at most {MAX_QUALIFICATIONS} qualifications"
MAXIMUM_REACHED = f"You have added the maximum of {MAX_QUALIFICATIONS} qualifications"
QUALIFICATIONS_CLOSED = (
    "The qualifications are marked as complete. Select ‘Update qualifications’ to change them."
)
STATEMENT_TOO_LONG = f"Your personal statement must be {STATEMENT_MAX:,} characters or fewer"
STATEMENT_NEEDED = "Write your personal statement before you mark it complete"
TYPE_NEEDED = "Select a qualification type"
EARLIEST_COMPLETION = 1950
COMPLETION_YEARS_AHEAD = 5  # a predicted grade's exam may be a few years away


def latest_completion_year() -> int:
    return timezone.localdate().year + COMPLETION_YEARS_AHEAD


def completion_year_message() -> str:
    return f"Enter a completion year between {EARLIEST_COMPLETION} and {latest_completion_year()}"


NOT_READY_TO_APPROVE = "The profile can be approved once every section is complete"


def settings_learners(
    *, learners: QuerySet[PortalLearner], group: LearnerGroup | None, year_group: int | None
) -> tuple[QuerySet[PortalLearner], str]:
    """The learners a bulk settings change is for, and how to name them: a learner group, a
    year group, or the learners of the group in that year group (both chosen)."""
    if group is not None:
        learners = learners.filter(groups=group)
    if year_group is not None:
        learners = learners.filter(year_group=year_group)
    year = YearGroup(year_group).label if year_group is not None else ""
    if group is None:
        return learners, year
    where = f"learner group {group.name} ({group.provider.name})"
    return learners, f"{where} in {year}" if year else where


def settings_apply(
    *, learners: QuerySet[PortalLearner], sign_off: str | None, manager_adds: str | None
) -> int:
    """Sets either setting (a ProviderDefault value; None leaves it) on many learners at once:
    one learner, a learner group or a year group (R24). Returns how many were changed."""
    changes: dict[str, Any] = {}
    if sign_off:
        changes["sign_off_profile"] = ProviderDefault(sign_off)
    if manager_adds:
        changes["manager_adds_qualifications"] = ProviderDefault(manager_adds)
    if not changes:
        return 0
    changed = PortalLearner.objects.filter(pk__in=learners.values("pk")).update(
        **changes, updated_at=timezone.now()
    )
    gates_may_have_cleared(learners)
    return changed


def gates_may_have_cleared(learners: QuerySet[PortalLearner]) -> None:
    """After a change that can clear an application's gate (approval, the manager's
    qualifications, a setting): submit what now may go (R34, A18)."""
    applications.applications_submit_cleared(learners=learners)


# --- the dashboard's profile counts (seed §4) ----------------------------------------------------


# Each dashboard count is a condition on learners annotated by with_effective_settings, so the
# dashboard counts them all in one pass (services.dashboard_counts) and the list filters by the
# same condition.


def incomplete_condition() -> Q:
    """A section the learner completes is not complete (qualifications count only when the
    learner adds them)."""
    return (
        ~Q(personal_status=COMPLETE)
        | ~Q(statement_status=COMPLETE)
        | (Q(manager_adds=False) & ~Q(qualifications_status=COMPLETE))
    )


def awaiting_approval_condition() -> Q:
    """Sign-off applies, every section complete, not approved."""
    return Q(
        signs_off=True,
        personal_status=COMPLETE,
        statement_status=COMPLETE,
        qualifications_status=COMPLETE,
        approved_at__isnull=True,
    )


def awaiting_qualifications_condition() -> Q:
    """The manager adds the qualifications and has not completed the section."""
    return Q(manager_adds=True) & ~Q(qualifications_status=COMPLETE)


def awaiting_references_condition() -> Q:
    """No completed reference."""
    completed = Reference.objects.filter(learner_id=OuterRef("pk"), completed_at__isnull=False)
    return Q(~Exists(completed))


# --- sections (R26-R29, R36) --------------------------------------------------------------------


def _is_learner(learner: PortalLearner, by: User) -> bool:
    return by.pk == learner.user_id


def manager_keeps_approval(learner: PortalLearner, by: User) -> bool:
    """Whether a change by `by` leaves the learner's sections as they are: a manager's change
    to an approved profile.

    The seed (§5.6, R36) un-approves a profile when the learner changes it; a manager's own
    change does not (R36 D: the manager reviews and amends the sections, then approves, and
    may amend again after). An approved profile has every section complete (R32,
    `profile_ready`), so a manager's change to one keeps its section Complete: reopening it
    would leave a profile "approved" with a section In progress, which is neither. A
    manager who wants the learner to look again uses 'Un-approve profile' (R37)."""
    return not _is_learner(learner, by) and learner.approved_at is not None


def _touched(learner: PortalLearner, by: User, section: str) -> list[str]:
    """A change to `section`: it is open again (in progress, R28), and a learner's own
    change un-approves the profile (R36); a manager's change to an approved profile keeps
    both (`manager_keeps_approval`). Returns the fields changed, for save()."""
    if manager_keeps_approval(learner, by):
        return []
    field = SECTIONS[section][0]
    setattr(learner, field, IN_PROGRESS)
    fields = [field]
    if learner.approved_at is not None:
        learner.approved_at = None
        learner.approved_by = None
        fields += ["approved_at", "approved_by"]
    return fields


def personal_details_changed(*, learner: PortalLearner, by: User) -> None:
    """A change to the learner's personal details made elsewhere (the account page): the
    section is open again and, made by the learner, the approval is withdrawn (R36)."""
    learner.save(update_fields=[*_touched(learner, by, "personal"), "updated_at"])


def section_complete(*, learner: PortalLearner, by: User, section: str) -> None:
    """Marks a section complete (the learner's 'mark as complete'; for qualifications, 'I have
    added all of my qualifications')."""
    if (
        section == "qualifications"
        and _is_learner(learner, by)
        and manager_adds_qualifications(learner)
    ):
        raise RuleError(MANAGER_ADDS)
    setattr(learner, SECTIONS[section][0], COMPLETE)
    learner.save(update_fields=[SECTIONS[section][0], "updated_at"])
    gates_may_have_cleared(PortalLearner.objects.filter(pk=learner.pk))


def personal_details_save(
    *, learner: PortalLearner, by: User, values: dict[str, Any], email: str, complete: bool
) -> None:
    """The learner's personal details section (address, contact, gender, ethnicity)."""
    with transaction.atomic():
        for name, value in values.items():
            setattr(learner, name, value)
        fields = _touched(learner, by, "personal")
        if complete:
            learner.personal_status = COMPLETE
            fields.append("personal_status")
        learner.save(update_fields=[*values, *set(fields), "updated_at"])
        if learner.user.email != email:
            learner.user.email = email
            learner.user.save(update_fields=["email"])
    if complete:
        gates_may_have_cleared(PortalLearner.objects.filter(pk=learner.pk))


def statement_save(*, learner: PortalLearner, by: User, text: str, complete: bool) -> None:
    text = line_ends(text).strip()  # a new line is one character, as the page counts it
    if len(text) > STATEMENT_MAX:
        raise RuleError(STATEMENT_TOO_LONG)
    learner.personal_statement = text
    # A manager's change to an approved profile keeps the section complete: not empty, then.
    complete = complete or manager_keeps_approval(learner, by)
    fields = _touched(learner, by, "statement")
    if complete:
        if not text:
            raise RuleError(STATEMENT_NEEDED)
        learner.statement_status = COMPLETE
        fields.append("statement_status")
    learner.save(update_fields=["personal_statement", *set(fields), "updated_at"])
    if complete:
        gates_may_have_cleared(PortalLearner.objects.filter(pk=learner.pk))


# --- qualifications (R25, R29-R31) --------------------------------------------------------------


@dataclass
class QualificationValues:
    type: QualificationType
    subject: QualificationSubject
    completed_on: date | None
    predicted_grade: QualificationGrade | None
    actual_grade: QualificationGrade | None


def qualification_problems(values: QualificationValues) -> dict[str, str]:
    """Field -> message for values that do not belong together (the form, the workbook)."""
    problems = {}
    if values.subject.type_id != values.type.pk:
        problems["subject"] = SUBJECT_NOT_OF_TYPE
    for field in ("predicted_grade", "actual_grade"):
        grade = getattr(values, field)
        if grade is not None and grade.type_id != values.type.pk:
            problems[field] = GRADE_NOT_OF_TYPE
    if values.predicted_grade is None and values.actual_grade is None:
        problems["predicted_grade"] = GRADE_NEEDED
    return problems


def may_change_qualifications(learner: PortalLearner, by: User) -> bool:
    """A manager always may; the learner only when the manager does not add them (R25)."""
    return not (_is_learner(learner, by) and manager_adds_qualifications(learner))


def qualifications_open(learner: PortalLearner, by: User) -> bool:
    """Whether qualifications may be added, changed or deleted now: a completed section is
    read-only until 'Update qualifications' reopens it (R27, R28), except to a manager on an
    approved profile, whose change keeps the section complete (`manager_keeps_approval`)."""
    return learner.qualifications_status != COMPLETE or manager_keeps_approval(learner, by)


def qualification_refusal(learner: PortalLearner, by: User, *, adding: bool = False) -> str | None:
    """Why `by` may not change the learner's qualifications now (None: they may). The pages
    hide what this refuses, and refuse it with this message when reached anyway."""
    if not may_change_qualifications(learner, by):
        return MANAGER_ADDS
    if not qualifications_open(learner, by):
        return QUALIFICATIONS_CLOSED
    if adding and learner.qualifications.count() >= MAX_QUALIFICATIONS:
        return MAXIMUM_REACHED if _is_learner(learner, by) else TOO_MANY
    return None


def section_reopen(*, learner: PortalLearner, by: User, section: str) -> None:
    """'Update' on a completed section: it is open to changes again (R27, R28); the learner
    reopening their approved profile un-approves it (R36)."""
    if section == "qualifications" and not may_change_qualifications(learner, by):
        raise RuleError(MANAGER_ADDS)
    learner.save(update_fields=[*_touched(learner, by, section), "updated_at"])


def _check(learner: PortalLearner, by: User, values: QualificationValues) -> None:
    refusal = qualification_refusal(learner, by)
    if refusal:
        raise RuleError(refusal)
    problems = qualification_problems(values)
    if problems:
        raise RuleError(next(iter(problems.values())))


def _duplicate(learner: PortalLearner, values: QualificationValues, *, but: int | None) -> None:
    """The same type, subject and completion month twice (a double click, a form sent again)
    is one qualification: refused with what is there already."""
    same = learner.qualifications.filter(
        type=values.type, subject=values.subject, completed_on=values.completed_on
    )
    if but is not None:
        same = same.exclude(pk=but)
    if same.exists():
        when = f" completed {values.completed_on:%B %Y}" if values.completed_on else ""
        raise RuleError(
            f"{values.type} {values.subject}{when} is already in the list: change that one instead"
        )


def qualification_add(
    *, learner: PortalLearner, by: User, values: QualificationValues
) -> Qualification:
    _check(learner, by, values)
    with transaction.atomic():
        # One add at a time per learner, so two sent at once count and compare correctly.
        PortalLearner.objects.select_for_update().filter(pk=learner.pk).first()
        if learner.qualifications.count() >= MAX_QUALIFICATIONS:
            raise RuleError(TOO_MANY)
        _duplicate(learner, values, but=None)
        qualification = Qualification.objects.create(
            learner=learner,
            added_by=by,
            verified=not _is_learner(learner, by),
            **vars(values),
        )
        learner.save(update_fields=[*_touched(learner, by, "qualifications"), "updated_at"])
    return qualification


def qualification_update(
    *, qualification: Qualification, by: User, values: QualificationValues
) -> None:
    learner = qualification.learner
    _check(learner, by, values)
    with transaction.atomic():
        PortalLearner.objects.select_for_update().filter(pk=learner.pk).first()
        _duplicate(learner, values, but=qualification.pk)
        for name, value in vars(values).items():
            setattr(qualification, name, value)
        # Verified only while every change came from a manager.
        qualification.verified = qualification.verified and not _is_learner(learner, by)
        qualification.save()
        learner.save(update_fields=[*_touched(learner, by, "qualifications"), "updated_at"])


def qualification_delete(*, qualification: Qualification, by: User) -> None:
    learner = qualification.learner
    refusal = qualification_refusal(learner, by)
    if refusal:
        raise RuleError(refusal)
    with transaction.atomic():
        qualification.delete()
        learner.save(update_fields=[*_touched(learner, by, "qualifications"), "updated_at"])


# --- approval (R32-R37) -------------------------------------------------------------------------


def profile_ready(learner: PortalLearner) -> bool:
    return all(section_status(learner, section) == COMPLETE for section in SECTIONS)


def profile_approve(*, learner: PortalLearner, by: User) -> None:
    """'Approve Profile': submits the learner's pending applications (R34); the learner sees a
    message on their home page and gets an email."""
    if not profile_ready(learner):
        raise RuleError(NOT_READY_TO_APPROVE)
    learner.approved_at = timezone.now()
    learner.approved_by = by
    learner.save(update_fields=["approved_at", "approved_by", "updated_at"])
    gates_may_have_cleared(PortalLearner.objects.filter(pk=learner.pk))
    if learner.user.email:
        # Only the first name: no other personal data in an email.
        send_templated_email(
            name="portal-profile-approved",
            to=[learner.user.email],
            context={"first_name": learner.user.first_name},
        )


def profile_unapprove(*, learner: PortalLearner, by: User) -> None:
    learner.approved_at = None
    learner.approved_by = None
    learner.save(update_fields=["approved_at", "approved_by", "updated_at"])


# --- references (R38-R42) -----------------------------------------------------------------------

BELOW = {Rating.BELOW_AVERAGE, Rating.POOR}
REFERENCE_DETAILS_MAX = 2000  # characters of each details box
REFERENCE_DETAILS_TOO_LONG = f"Details must be {REFERENCE_DETAILS_MAX:,} characters or fewer"
RATING_DETAILS_NEEDED = "Give details of the ratings below average"
SUPPORT_DETAILS_NEEDED = "Give details of the additional support required"
# Completing the reference asks for every answer (R39): a message for each one missing.
ATTENDANCE_NEEDED = "Enter the attendance before you complete the reference"
RATING_NEEDED = "Choose a rating for"  # + the question, e.g. "... for Punctuality"
SUPPORT_NEEDED = "Select whether additional support is required"
ATTENDANCE = "Attendance must be a whole number from 0 to 100"


def reference_for(learner: PortalLearner) -> Reference:
    found = Reference.objects.filter(learner=learner).first()
    return found or Reference(learner=learner)


def reference_problems(reference: Reference, *, completing: bool) -> dict[str, str]:
    problems = {}
    if reference.attendance is not None and not 0 <= reference.attendance <= 100:
        problems["attendance"] = ATTENDANCE
    ratings = [getattr(reference, name) for name in REFERENCE_RATINGS]
    if any(r in BELOW for r in ratings) and not reference.rating_details.strip():
        problems["rating_details"] = RATING_DETAILS_NEEDED
    if reference.support_required and not reference.support_details.strip():
        problems["support_details"] = SUPPORT_DETAILS_NEEDED
    for name in ("rating_details", "support_details"):
        if len(getattr(reference, name)) > REFERENCE_DETAILS_MAX:
            problems[name] = REFERENCE_DETAILS_TOO_LONG
    if completing:
        # One message a question left unanswered, naming it (not one sentence eleven times).
        if reference.attendance is None:
            problems.setdefault("attendance", ATTENDANCE_NEEDED)
        for name, label in REFERENCE_RATINGS.items():
            if not getattr(reference, name):
                problems.setdefault(name, f"{RATING_NEEDED} {label}")
        if reference.support_required is None:
            problems.setdefault("support_required", SUPPORT_NEEDED)
    return problems


def reference_save(*, reference: Reference, by: User, complete: bool) -> None:
    """'Save reference details' (a draft) or 'Complete reference details' (attached to the
    learner's applications from then on). A completed reference saved as a draft again is a
    draft until completed again."""
    problems = reference_problems(reference, completing=complete)
    if problems:
        raise RuleError(next(iter(problems.values())))
    reference.updated_by = by
    reference.completed_at = timezone.now() if complete else None
    reference.save()
    if complete:
        applications.applications_attach_reference(learner=reference.learner)


def reference_seen_by_learner(learner: PortalLearner) -> tuple[str, Reference | None]:
    """What the learner sees of their reference (R42): ("none", None) while there is none or
    only a draft; ("hidden", None) once complete, when 'Display to learner' is No (that it
    exists, not what it says); ("shown", the reference) once complete and displayed."""
    found = Reference.objects.filter(learner=learner, completed_at__isnull=False).first()
    if found is None:
        return "none", None
    if not found.display_to_learner:
        return "hidden", None
    return "shown", found


def reference_ratings(reference: Reference) -> list[tuple[str, str]]:
    """(question, the rating as read) of the nine ratings, in the form's order."""
    labels = dict(Rating.choices)
    return [
        (label, str(labels.get(getattr(reference, name), "Not given")))
        for name, label in REFERENCE_RATINGS.items()
    ]


# --- learner groups (R2-R5) ---------------------------------------------------------------------


def groups_managed_by(user: User) -> QuerySet[LearnerGroup]:
    return LearnerGroup.objects.filter(managers=user)


def _group_narrowing(access: Access, learners: QuerySet[Any]) -> QuerySet[Any]:
    """A learner manager assigned to learner groups at a provider sees only those groups'
    learners there (R2); at a provider where they are in no group, every learner."""
    user: Any = access.user
    providers_with_groups = groups_managed_by(user).values("provider_id")
    in_their_group = LearnerGroup.learners.through.objects.filter(
        portallearner_id=OuterRef("pk"), learnergroup__managers=user
    )
    return learners.filter(~Q(provider_id__in=providers_with_groups) | Q(Exists(in_their_group)))


register_narrowing(PortalLearner, Role.LEARNER_MANAGER, _group_narrowing)


def _own_groups_narrowing(access: Access, groups: QuerySet[Any]) -> QuerySet[Any]:
    """The groups themselves, by the same rule: a learner manager assigned to groups at a
    provider sees only their own groups there (the groups page, the bulk settings' choice);
    at a provider where they are in no group, every group."""
    user: Any = access.user
    providers_with_groups = groups_managed_by(user).values("provider_id")
    theirs = LearnerGroup.managers.through.objects.filter(
        learnergroup_id=OuterRef("pk"), user_id=user.pk
    )
    return groups.filter(~Q(provider_id__in=providers_with_groups) | Q(Exists(theirs)))


register_narrowing(LearnerGroup, Role.LEARNER_MANAGER, _own_groups_narrowing)


# R4 (seed §8): "Learner groups are created by either a Provider Manager or a User Manager";
# learner managers see them and (R3) tick learners in or out.
GROUP_CREATORS = (Role.PROVIDER_MANAGER, Role.USER_MANAGER)
GROUP_ROLES = (Role.LEARNER_MANAGER, *GROUP_CREATORS)


def group_providers(access: Access) -> list[Provider]:
    """The providers whose learner groups the user reaches: where they hold any of the
    learner, provider or user manager roles, by name."""
    found = {p.pk: p for role in GROUP_ROLES for p in access.providers(role)}
    return sorted(found.values(), key=lambda p: p.name)


def creates_groups_at(access: Access, provider: Provider) -> bool:
    return bool(set(GROUP_CREATORS) & access.roles_at(provider))


def groups_created_by(access: Access) -> QuerySet[LearnerGroup]:
    """The groups a Provider or User Manager may change: every group of their providers."""
    ids = {pk for role in GROUP_CREATORS for pk in access.provider_ids(role)}
    return LearnerGroup.objects.filter(provider_id__in=ids)


def group_manager_choices(provider: Provider) -> QuerySet[User]:
    """Who may be made a manager of a group: the provider's learner managers."""
    return (
        User.objects.filter(
            memberships__provider=provider,
            memberships__role=Role.LEARNER_MANAGER,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def may_associate(access: Access) -> bool:
    """Only a learner manager in no group ticks learners in or out of groups (R3)."""
    return not groups_managed_by(access.user).exists()  # type: ignore[arg-type]


def group_delete(*, group: LearnerGroup) -> None:
    """A group goes; its learners and managers stay (a manager of no group left sees every
    learner of the provider again, R2)."""
    group.delete()


def group_set_member(*, group: LearnerGroup, learner: PortalLearner, member: bool) -> None:
    if learner.provider_id != group.provider_id:
        raise RuleError("The learner is not at this group's provider")
    if member:
        group.learners.add(learner)
    else:
        group.learners.remove(learner)
