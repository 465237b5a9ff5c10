"""The learner's record (the ILR Summary): its tabs, the forms that change each part, New
Learner, and the links from a rule's message to the field that fixes it."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from learners import editing, record
from learners.forms import (
    AimForm,
    EmploymentStatusForm,
    LearnerForm,
    NewAimForm,
    NewLearnerDetailsForm,
)
from learners.models import EmploymentStatus, Learner, LearningDelivery, Provider, Role
from picsweb.access import request_access, role_required
from picsweb.navigation import list_query
from picsweb.typing import AuthenticatedHttpRequest

EDIT = Role.EDIT_LEARNERS


def _learner(request: AuthenticatedHttpRequest, code: uuid.UUID, role: Role) -> Learner:
    return request_access(request).get(
        Learner.objects.select_related("provider", "site", "main_officer"), role, code=code
    )


def record_context(request: AuthenticatedHttpRequest, learner: Learner, tab: str) -> dict[str, Any]:
    """What every tab of the record shows above its own part: the name, the tabs, and the
    "Ready for …" panels of the exports the user may run."""
    roles = request_access(request).roles_at(learner.provider)
    return {
        "learner": learner,
        "tab": tab,
        "tabs": record.tabs_for(roles),
        "may_edit": EDIT in roles,
        "readiness": record.readiness_for(learner, roles, timezone.localdate()),
        "back": list_query(request, f"provider={learner.provider.code}"),
    }


def _render(
    request: AuthenticatedHttpRequest, learner: Learner, tab: str, template: str, **extra: Any
) -> HttpResponse:
    return render(request, template, record_context(request, learner, tab) | extra)


@role_required(Role.LEARNER_LIST)
def learner_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    learner = _learner(request, code, Role.LEARNER_LIST)
    return _render(
        request,
        learner,
        "learner",
        "learners/record/learner.html",
        tags=learner.tags.all(),
        as_changes=learner.as_changes.select_related("changed_by")[:10],
    )


@role_required(Role.LEARNER_LIST)
def learner_employment(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    learner = _learner(request, code, Role.LEARNER_LIST)
    statuses = learner.employment_statuses.select_related("employer").order_by("-date_applies")
    return _render(
        request, learner, "employment", "learners/record/employment.html", statuses=statuses
    )


@role_required(Role.LEARNER_LIST)
def learner_aims(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    learner = _learner(request, code, Role.LEARNER_LIST)
    aims = LearningDelivery.objects.select_related("standard", "contract", "subcontractor")
    episodes = learner.episodes.prefetch_related(Prefetch("aims", queryset=aims))
    return _render(request, learner, "aims", "learners/record/aims.html", episodes=episodes)


@role_required(Role.LEARNER_LIST)
def learner_history(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    learner = _learner(request, code, Role.LEARNER_LIST)
    entries = editing.learner_history(learner)
    return _render(request, learner, "history", "learners/record/history.html", entries=entries)


@role_required(Role.LEARNER_LIST)
def learner_status(
    request: AuthenticatedHttpRequest, code: uuid.UUID, status: uuid.UUID
) -> HttpResponse:
    """An employment status's details (… > Details)."""
    learner = _learner(request, code, Role.LEARNER_LIST)
    record_ = get_object_or_404(learner.employment_statuses.select_related("employer"), code=status)
    return _render(request, learner, "employment", "learners/record/status.html", status=record_)


def _saved(request: AuthenticatedHttpRequest, learner: Learner, what: str, tab: str) -> Any:
    messages.success(request, f"{what} saved.")
    return redirect(reverse(f"learners:{tab}", kwargs={"code": learner.code}))


def _post(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@role_required(EDIT)
def learner_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    learner = _learner(request, code, EDIT)
    form = LearnerForm(_post(request), instance=learner, provider=learner.provider)
    if form.is_valid():
        editing.record_save(form.save(commit=False))
        form.save_m2m()
        return _saved(request, learner, "The learner's details are", "detail")
    return _render(
        request,
        learner,
        "learner",
        "learners/record/form.html",
        form=form,
        heading="Edit the learner's details",
        cancel=reverse("learners:detail", kwargs={"code": learner.code}),
    )


@role_required(EDIT)
def status_edit(
    request: AuthenticatedHttpRequest, code: uuid.UUID, status: uuid.UUID | None = None
) -> HttpResponse:
    """Add an employment status, or edit one (… > Edit)."""
    learner = _learner(request, code, EDIT)
    instance = get_object_or_404(learner.employment_statuses, code=status) if status else None
    initial = {}
    if instance is None and request.GET.get("status", "").isdigit():
        initial["status"] = int(request.GET["status"])
    form = EmploymentStatusForm(
        _post(request),
        instance=instance,
        initial=initial,
        learner=learner,
        provider=learner.provider,
    )
    if form.is_valid():
        saved: EmploymentStatus = form.save(commit=False)
        saved.learner = learner
        editing.record_save(saved)
        return _saved(request, learner, "The employment status is", "employment")
    return _render(
        request,
        learner,
        "employment",
        "learners/record/form.html",
        form=form,
        heading="Edit the employment status" if instance else "Add an employment status",
        cancel=reverse("learners:employment", kwargs={"code": learner.code}),
    )


@role_required(EDIT)
def aim_edit(request: AuthenticatedHttpRequest, code: uuid.UUID, aim: uuid.UUID) -> HttpResponse:
    learner = _learner(request, code, EDIT)
    instance = get_object_or_404(learner.aims.select_related("episode"), code=aim)
    form = AimForm(_post(request), instance=instance, provider=learner.provider)
    if form.is_valid():
        editing.record_save(form.save(commit=False))
        return _saved(request, learner, "The learning aim is", "aims")
    return _render(
        request,
        learner,
        "aims",
        "learners/record/form.html",
        form=form,
        heading=f"Edit the aim {instance.aim_ref}",
        cancel=reverse("learners:aims", kwargs={"code": learner.code}),
    )


@role_required(Role.LEARNER_LIST)
def learner_fix(request: AuthenticatedHttpRequest, code: uuid.UUID, field: str) -> HttpResponse:
    """From a rule's message (the readiness panel, an export's left-out list) to the form and
    box that put it right; without Edit Learners, to the record's page."""
    learner = _learner(request, code, Role.LEARNER_LIST)
    if EDIT not in request_access(request).roles_at(learner.provider):
        return redirect(reverse("learners:detail", kwargs={"code": learner.code}))
    return HttpResponseRedirect(record.fix_url(learner, field[:60], timezone.localdate()))


@role_required(EDIT)
def learner_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New Learner: details, the first employment status (with the AS Agreement ID when
    Employed) and the programme aim, saved together; "Save and add another" starts again."""
    provider: Provider = request_access(request).provider(
        EDIT, request.POST.get("provider") or request.GET.get("provider")
    )
    data = _post(request)
    details = NewLearnerDetailsForm(data, prefix="learner", provider=provider)
    employment = EmploymentStatusForm(data, prefix="employment", learner=None, provider=provider)
    aim = NewAimForm(data, prefix="aim", provider=provider)
    if data is not None:
        ready = [details.is_valid(), employment.is_valid(), aim.is_valid()]
        if all(ready):
            made = editing.learner_create(
                provider=provider,
                learner=details.save(commit=False),
                employment=employment.save(commit=False),
                aim=aim.save(commit=False),
            )
            messages.success(
                request, f"{made.learner.full_name} (LRN {made.learner.lrn}) is added."
            )
            if "add_another" in request.POST:
                return redirect(f"{reverse('learners:new')}?provider={provider.code}")
            return redirect(reverse("learners:detail", kwargs={"code": made.learner.code}))
    forms_with_errors = [f for f in (details, employment, aim) if f.errors]
    return render(
        request,
        "learners/record/new.html",
        {
            "provider": provider,
            "providers": request_access(request).providers(EDIT),
            "details": details,
            "employment": employment,
            "aim": aim,
            "error_forms": forms_with_errors,
        },
    )
