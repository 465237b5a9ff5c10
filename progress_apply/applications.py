"""Applications and offers (issue 16; seed 003 intro, §1.1, §5.5, §5.6; inventory §6).

States: pending → submitted → (withdrawn | unsuccessful | offered) → (accepted | declined) →
enrolled; a learner may withdraw while pending or submitted. Each change is a compare-and-set
on the status (`_move`), so a double click or two people at once change it once, and the second
is told the application has changed. Every change emails the learner (first name, course and
status only) and the receiving provider's admissions staff (course and a link).

Gates (R32-R34, R25, A18): with sign-off on, an application waits (Pending) until the profile is
approved; with manager-adds on, until the manager completes the qualifications section. The
profile rules (profiles.py, which imports this module) call `applications_submit_cleared`
whenever a gate may have cleared; this module reads the profile through readiness.py only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from picsweb.emails import send_templated_email
from picsweb.models import Membership, Role
from progress_apply import readiness
from progress_apply.models import (
    REFERENCE_RATINGS,
    Application,
    Course,
    PortalLearner,
    Qualification,
    Reference,
    SectionStatus,
)
from progress_apply.rules import RuleError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from learners.models import Learner

Status = Application.Status
STATEMENT_MAX = 2000  # characters of the statement for one course

# Who sees which states: the provider never sees an application that was not submitted
# (`submitted_to_provider`), even once withdrawn.
LIVE = [Status.PENDING, Status.SUBMITTED, Status.OFFERED, Status.ACCEPTED, Status.ENROLLED]
SEEN_BY_PROVIDER = [s for s in Status if s not in (Status.PENDING,)]
WITHDRAWABLE = [Status.PENDING, Status.SUBMITTED]

# Each completes "sent to the provider as soon as …".
WAITING_APPROVAL = "your learner manager approves your profile"
WAITING_QUALIFICATIONS = "your learner manager adds your qualifications and marks them complete"
WAITING_SECTIONS = "you complete your profile again: {sections}"
CHANGED = "This application has changed since you opened the page: check its status and try again"
NOT_NOW = "This application is {status} now, so it cannot be {action}"
NAME_TOO_LONG = (
    "The learner's {part} is longer than a learner record holds ({limit} characters): make "
    "the record by hand with a shortened name"
)
CLOSED = "This course is closed for applications"
ALREADY = "You have already applied for this course"
SECTIONS_TO_DO = "Complete every section of your profile before you apply"
CONDITIONS_NEEDED = "Enter the conditions of the offer"
NOT_APPRENTICESHIP = "Only an enrolled apprenticeship makes a learner record"
ALREADY_RECORDED = "A learner record was already made from this application"


# --- what the learner has still to do ----------------------------------------------------------


def sections_to_complete(learner: PortalLearner) -> list[tuple[str, str]]:
    """(key, label) of the sections the learner completes that are not complete (the
    qualifications section is the manager's when manager-adds applies)."""
    manager_adds = readiness.manager_adds_qualifications(learner)
    return [
        (key, label)
        for key, label, status in readiness.section_rows(learner)
        if status != SectionStatus.COMPLETE and not (key == "qualifications" and manager_adds)
    ]


def gates(learner: PortalLearner) -> list[str]:
    """Why an application of the learner would wait (none: it is submitted at once)."""
    reasons = []
    if readiness.sign_off_applies(learner) and learner.approved_at is None:
        reasons.append(WAITING_APPROVAL)
    if (
        readiness.manager_adds_qualifications(learner)
        and learner.qualifications_status != SectionStatus.COMPLETE
    ):
        reasons.append(WAITING_QUALIFICATIONS)
    # The learner's own sections reopened after applying (or manager-adds turned off).
    sections = sections_to_complete(learner)
    if sections:
        reasons.append(WAITING_SECTIONS.format(sections=", ".join(label for _, label in sections)))
    return reasons


# --- emails --------------------------------------------------------------------------------------

_EVENTS = {
    Status.PENDING: "Your application is saved. It is sent once your learner manager has done "
    "what is still needed.",
    Status.SUBMITTED: "Your application has been sent to the provider.",
    Status.WITHDRAWN: "Your application has been withdrawn.",
    Status.UNSUCCESSFUL: "The provider has decided not to offer you a place.",
    Status.OFFERED: "The provider has offered you a place. Sign in to accept or decline it.",
    Status.ACCEPTED: "You have accepted the offer. The provider will confirm your enrolment.",
    Status.DECLINED: "You have declined the offer.",
    Status.ENROLLED: "The provider has confirmed your enrolment.",
}
# The provider hears of the steps the learner takes.
_PROVIDER_EVENTS = {
    Status.SUBMITTED: "A new application has been submitted.",
    Status.WITHDRAWN: "An application has been withdrawn by the learner.",
    Status.ACCEPTED: "An offer has been accepted: confirm the enrolment when the learner starts.",
    Status.DECLINED: "An offer has been declined.",
}


def _admissions_emails(application: Application) -> list[str]:
    members = Membership.objects.filter(
        provider_id=application.course.provider_id,
        role__in=[Role.ADMISSIONS, Role.PROVIDER_ADMIN],
        user__is_active=True,
    ).exclude(user__email="")
    return sorted(set(members.values_list("user__email", flat=True)))


def _notify(application: Application, status: str) -> None:
    """Emails for a change: no personal data beyond the learner's first name."""
    url = settings.SITE_URL + reverse(
        "progress_apply:application", kwargs={"code": application.code}
    )
    learner = application.learner
    if learner.user.email:
        send_templated_email(
            name="portal-application-learner",
            to=[learner.user.email],
            context={
                "first_name": learner.user.first_name,
                "course": application.course.title,
                "provider": application.course.provider.name,
                "event": _EVENTS[Status(status)],
                "url": url,
            },
        )
    event = _PROVIDER_EVENTS.get(Status(status))
    if application.submitted_at is None:
        event = None  # the provider never heard of it (withdrawn while pending)
    to = _admissions_emails(application) if event else []
    if event and to:
        send_templated_email(
            name="portal-application-provider",
            to=to,
            context={
                "course": application.course.title,
                "event": event,
                "url": settings.SITE_URL
                + reverse("progress_apply:admission", kwargs={"code": application.code}),
            },
        )


def not_now(status: str, action: str) -> str:
    """Why a step is refused in this status: "This application is “offer made” now, …"."""
    return NOT_NOW.format(status=f"“{Status(status).label.lower()}”", action=action)


def _move(
    application: Application,
    *,
    to: str,
    allowed: Iterable[str],
    action: str = "changed",
    **changes: Any,
) -> Application:
    """Compare-and-set: the status moves only from one of `allowed`. Refused, the message says
    why: the application's status does not allow `action`, or it changed meanwhile."""
    allowed = list(allowed)
    current = Application.objects.filter(pk=application.pk).values_list("status", flat=True)
    now_status = current.first()
    if now_status is not None and now_status not in allowed:
        raise RuleError(not_now(now_status, action))
    now = timezone.now()
    moved = Application.objects.filter(pk=application.pk, status__in=allowed).update(
        status=to, updated_at=now, **changes
    )
    if not moved:
        raise RuleError(CHANGED)
    application.refresh_from_db()
    transaction.on_commit(lambda: _notify(application, to))
    return application


# --- the reference attached (R39-R40) ------------------------------------------------------------


def reference_snapshot(learner: PortalLearner) -> dict[str, Any] | None:
    """The learner's completed reference as the provider reads it, or None."""
    reference = Reference.objects.filter(learner=learner, completed_at__isnull=False).first()
    if reference is None:
        return None
    referee = readiness.referee_of(learner, reference) or {}
    return {
        "referee": referee,
        "attendance": reference.attendance,
        "ratings": [
            [label, getattr(reference, f"get_{name}_display")()]
            for name, label in REFERENCE_RATINGS.items()
        ],
        "rating_details": reference.rating_details,
        "support_required": reference.support_required,
        "support_details": reference.support_details,
        "completed_at": reference.completed_at.isoformat() if reference.completed_at else None,
    }


def applications_attach_reference(*, learner: PortalLearner) -> int:
    """A first completed reference reaches submitted applications that have none (R40 D);
    later changes reach only applications submitted after them."""
    snapshot = reference_snapshot(learner)
    if snapshot is None:
        return 0
    waiting = learner.applications.filter(reference__isnull=True).exclude(status=Status.PENDING)
    return waiting.exclude(status=Status.WITHDRAWN).update(reference=snapshot)


# --- the learner's steps ------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyCheck:
    """What the apply page shows: the sections to complete first and why it would wait."""

    sections: list[tuple[str, str]]
    waits_for: list[str]
    problem: str | None


def apply_check(learner: PortalLearner, course: Course) -> ApplyCheck:
    sections = sections_to_complete(learner)
    problem = None
    if not course.is_open:
        problem = CLOSED
    elif learner.applications.filter(course=course).exclude(status=Status.WITHDRAWN).exists():
        problem = ALREADY
    elif sections:
        problem = SECTIONS_TO_DO
    return ApplyCheck(sections=sections, waits_for=gates(learner), problem=problem)


def application_create(*, learner: PortalLearner, course: Course, statement: str) -> Application:
    """The learner applies: Submitted when no gate holds it, else Pending."""
    check = apply_check(learner, course)
    if check.problem:
        raise RuleError(check.problem)
    now = timezone.now()
    submitted = not check.waits_for
    try:
        with transaction.atomic():
            application = Application.objects.create(
                learner=learner,
                course=course,
                statement=statement,
                status=Status.SUBMITTED if submitted else Status.PENDING,
                submitted_at=now if submitted else None,
                reference=reference_snapshot(learner) if submitted else None,
            )
    except IntegrityError:  # the same course twice at once (a double click)
        raise RuleError(ALREADY) from None
    transaction.on_commit(lambda: _notify(application, application.status))
    return application


def applications_submit_cleared(*, learners: QuerySet[PortalLearner]) -> int:
    """Submits the pending applications of those of `learners` whose gates have cleared
    (R34: approving submits every pending application at once). Returns how many."""
    waiting = PortalLearner.objects.filter(
        pk__in=learners.values("pk"),
        applications__status=Status.PENDING,
        user__is_active=True,  # a deactivated learner's are withdrawn (A23)
    ).distinct()
    submitted = 0
    for learner in waiting.select_related("user"):
        if gates(learner):
            continue
        snapshot = reference_snapshot(learner)
        for application in learner.applications.filter(status=Status.PENDING).select_related(
            "course__provider"
        ):
            try:
                _move(
                    application,
                    to=Status.SUBMITTED,
                    allowed=[Status.PENDING],
                    submitted_at=timezone.now(),
                    reference=snapshot,
                )
            except RuleError:  # withdrawn meanwhile
                continue
            submitted += 1
    return submitted


def application_withdraw(*, application: Application) -> Application:
    return _move(
        application,
        to=Status.WITHDRAWN,
        allowed=WITHDRAWABLE,
        action="withdrawn",
        withdrawn_at=timezone.now(),
    )


def applications_withdraw_pending(*, learner: PortalLearner) -> int:
    """A deactivated learner's pending applications are withdrawn: nobody would answer them."""
    return learner.applications.filter(status=Status.PENDING).update(
        status=Status.WITHDRAWN, withdrawn_at=timezone.now(), updated_at=timezone.now()
    )


def offer_answer(*, application: Application, accept: bool) -> Application:
    return _move(
        application,
        to=Status.ACCEPTED if accept else Status.DECLINED,
        allowed=[Status.OFFERED],
        action="accepted" if accept else "declined",
        answered_at=timezone.now(),
    )


# --- the receiving provider's steps ---------------------------------------------------------------


def application_decide(
    *, application: Application, offer: bool, kind: str = "", conditions: str = ""
) -> Application:
    """Unsuccessful, or an offer: conditional (with its conditions) or unconditional."""
    now = timezone.now()
    if not offer:
        return _move(
            application,
            to=Status.UNSUCCESSFUL,
            allowed=[Status.SUBMITTED],
            action="decided again",
            decided_at=now,
        )
    kind = Application.OfferKind(kind)
    if kind == Application.OfferKind.CONDITIONAL and not conditions.strip():
        raise RuleError(CONDITIONS_NEEDED)
    return _move(
        application,
        to=Status.OFFERED,
        allowed=[Status.SUBMITTED],
        action="decided again",
        decided_at=now,
        offered_at=now,
        offer_kind=kind,
        conditions=conditions.strip() if kind == Application.OfferKind.CONDITIONAL else "",
    )


def application_enrol(*, application: Application) -> Application:
    return _move(
        application,
        to=Status.ENROLLED,
        allowed=[Status.ACCEPTED],
        action="enrolled",
        enrolled_at=timezone.now(),
    )


# The portal's ethnic groups (2011 census) as the ILR's codes.
_ETHNICITY = {
    "british": 31,
    "irish": 32,
    "traveller": 33,
    "other_white": 34,
    "white_caribbean": 35,
    "white_african": 36,
    "white_asian": 37,
    "other_mixed": 38,
    "indian": 39,
    "pakistani": 40,
    "bangladeshi": 41,
    "chinese": 42,
    "other_asian": 43,
    "african": 44,
    "caribbean": 45,
    "other_black": 46,
    "arab": 47,
    "other": 98,
    "not_provided": 99,
}


def staff_learner_create(*, application: Application, by: User) -> Learner:
    """The staff-side learner record (learners app) from an enrolled apprenticeship, in one
    step: names, date of birth, ULN, UPN, contact and address carried over; an LRN made from
    the application's code (the provider may change it)."""
    from learners.models import Learner

    course = application.course
    if course.kind != Course.Kind.APPRENTICESHIP or application.status != Status.ENROLLED:
        raise RuleError(NOT_APPRENTICESHIP)
    user = application.learner.user
    for part, value in (("first name", user.first_name), ("last name", user.last_name)):
        limit = Learner._meta.get_field("given_names").max_length or 100
        if len(value) > limit:
            raise RuleError(NAME_TOO_LONG.format(part=part, limit=limit))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.staff_learner_id is not None:
            raise RuleError(ALREADY_RECORDED)
        portal = application.learner
        user = portal.user
        sex = {"female": Learner.Sex.FEMALE, "male": Learner.Sex.MALE}.get(portal.gender, "")
        address = ", ".join(part for part in (portal.house, portal.street) if part)
        learner = Learner.objects.create(
            provider_id=course.provider_id,
            lrn=f"PA{application.code.hex[:10].upper()}",
            uln=portal.uln,
            upn=portal.upn,
            given_names=user.first_name,
            family_name=user.last_name,
            date_of_birth=portal.date_of_birth,
            sex=sex,
            ethnicity=_ETHNICITY.get(portal.ethnicity, 99),
            email=user.email,
            phone=portal.telephone,
            address_line_1=address[:100],
            address_line_2=portal.locality,
            town=portal.town,
            postcode=portal.postcode,
        )
        locked.staff_learner = learner
        locked.save(update_fields=["staff_learner", "updated_at"])
    application.staff_learner = learner
    return learner


# --- lists and the dashboard (§4) ---------------------------------------------------------------


def applications_to(access_providers: list[int]) -> QuerySet[Application]:
    """Applications a receiving provider's staff see (never a pending one)."""
    return Application.objects.filter(
        course__provider_id__in=access_providers,
        status__in=SEEN_BY_PROVIDER,
        submitted_at__isnull=False,
    )


def qualifications_seen(learner: PortalLearner) -> QuerySet[Qualification]:
    """The learner's qualifications as a receiving provider reads them (each marked verified
    when a learner manager added it: A28)."""
    return learner.qualifications.select_related(
        "subject", "type", "predicted_grade", "actual_grade"
    ).order_by("-completed_on", "pk")


def with_applications_condition() -> Q:
    """At least one application that is not withdrawn."""
    made = Application.objects.filter(learner_id=OuterRef("pk")).exclude(status=Status.WITHDRAWN)
    return Q(Exists(made))


def no_applications_condition() -> Q:
    return ~with_applications_condition()


def no_offers_condition() -> Q:
    """A19: at least one application reached a provider, and no offer was ever made."""
    sent = Application.objects.filter(learner_id=OuterRef("pk"), submitted_at__isnull=False)
    offered = Application.objects.filter(learner_id=OuterRef("pk"), offered_at__isnull=False)
    return Q(Exists(sent)) & ~Q(Exists(offered))
