"""Applications: the learner applies, follows and answers (`/apply/applications/`); the
receiving provider's admissions staff decide and enrol (`/apply/admissions/`). The rules are in
progress_apply.applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from picsweb.access import request_access, role_required
from picsweb.models import Role
from picsweb.typing import AuthenticatedHttpRequest
from progress_apply import applications, profiles
from progress_apply.application_forms import AnswerForm, ApplyForm, DecisionForm
from progress_apply.models import Application, Course
from progress_apply.profile_views import own_learner
from progress_apply.rules import RuleError

ADMISSIONS = Role.ADMISSIONS
Status = Application.Status


def _own_application(request: AuthenticatedHttpRequest, code: str) -> Application:
    learner = own_learner(request)
    return get_object_or_404(
        learner.applications.select_related("course__provider", "learner__user"), code=code
    )


def _admission(request: AuthenticatedHttpRequest, code: str) -> Application:
    found: Application = request_access(request).get(
        Application.objects.select_related(
            "course__provider", "learner__user", "learner__provider"
        ),
        ADMISSIONS,
        code=code,
        status__in=applications.SEEN_BY_PROVIDER,
        submitted_at__isnull=False,
    )
    return found


# --- the learner --------------------------------------------------------------------------------


@login_required
def apply(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner = own_learner(request)
    course = get_object_or_404(Course.objects.select_related("provider"), code=code)
    form = ApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.application_create(
                learner=learner, course=course, statement=form.cleaned_data["statement"]
            )
        except RuleError as error:
            form.add_error(None, str(error))
        else:
            if application.status == Status.SUBMITTED:
                messages.success(request, f"Your application for {course.title} has been sent.")
            else:
                messages.success(
                    request,
                    f"Your application for {course.title} is saved. It is sent as soon as your "
                    "learner manager has done what is listed below.",
                )
            return redirect("progress_apply:application", code=application.code)
    context = {
        "course": course,
        "learner": learner,
        "form": form,
        "check": applications.apply_check(learner, course),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "progress_apply/apply.html", context, status=status)


@login_required
def my_applications(request: AuthenticatedHttpRequest) -> HttpResponse:
    learner = own_learner(request)
    rows = learner.applications.select_related("course__provider")
    return render(
        request,
        "progress_apply/my_applications.html",
        {"learner": learner, "applications": rows, "waits_for": applications.gates(learner)},
    )


@login_required
def application(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    found = _own_application(request, code)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            applications.offer_answer(application=found, accept=accept)
        except RuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "You have accepted the offer." if accept else "You have declined the offer.",
            )
            return redirect("progress_apply:application", code=found.code)
    context = {
        "application": found,
        "form": form,
        "waits_for": applications.gates(found.learner) if found.status == Status.PENDING else [],
        "may_withdraw": found.status in applications.WITHDRAWABLE,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "progress_apply/application.html", context, status=status)


@login_required
def application_withdraw(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    found = _own_application(request, code)
    if request.method != "POST" and found.status not in applications.WITHDRAWABLE:
        messages.error(request, applications.not_now(found.status, "withdrawn"))
        return redirect("progress_apply:application", code=found.code)
    if request.method == "POST":
        try:
            applications.application_withdraw(application=found)
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Your application for {found.course.title} is withdrawn.")
        return redirect("progress_apply:application", code=found.code)
    return render(request, "progress_apply/application_withdraw.html", {"application": found})


# --- the receiving provider ---------------------------------------------------------------------


@role_required(ADMISSIONS)
def admissions(request: AuthenticatedHttpRequest) -> HttpResponse:
    show = request.GET.get("status", "")
    rows = applications.applications_to(request_access(request).provider_ids(ADMISSIONS))
    if show in Status.values:
        rows = rows.filter(status=show)
    rows = rows.select_related("course__provider", "learner__user").order_by("-submitted_at", "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    statuses = [(value, label) for value, label in Status.choices if value != Status.PENDING]
    return render(
        request,
        "progress_apply/admissions.html",
        {"page": page, "show": show, "statuses": statuses},
    )


@role_required(ADMISSIONS)
def admission(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    found = _admission(request, code)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            applications.application_decide(
                application=found,
                offer=decision != "unsuccessful",
                kind="" if decision == "unsuccessful" else decision,
                conditions=form.cleaned_data["conditions"],
            )
        except RuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your decision is saved and the learner is told by email.")
            return redirect("progress_apply:admission", code=found.code)
    learner = found.learner
    context = {
        "application": found,
        "learner": learner,
        "form": form,
        "rows": [{"q": q} for q in applications.qualifications_seen(learner)],
        "sections": profiles.section_rows(learner),
        "signs_off": profiles.sign_off_applies(learner),
        # Ended: the provider no longer needs the learner's personal data.
        "closed": [Status.WITHDRAWN, Status.UNSUCCESSFUL, Status.DECLINED],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "progress_apply/admission.html", context, status=status)


@require_POST
@role_required(ADMISSIONS)
def admission_enrol(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    found = _admission(request, code)
    try:
        applications.application_enrol(application=found)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The enrolment is confirmed.")
    return redirect("progress_apply:admission", code=found.code)


@require_POST
@role_required(ADMISSIONS)
def admission_record(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    found = _admission(request, code)
    try:
        learner = applications.staff_learner_create(application=found, by=request.user)
    except RuleError as error:
        messages.error(request, str(error))
        return redirect("progress_apply:admission", code=found.code)
    messages.success(
        request, f"Learner record made for {learner.full_name} with LRN {learner.lrn}."
    )
    if learner.provider_id in request_access(request).provider_ids(Role.LEARNER_LIST):
        return redirect("learners:detail", code=learner.code)
    return redirect("progress_apply:admission", code=found.code)
