"""The profile's pages (seed §5.2, §5.4-5.6, §8). The qualification pages serve both the
learner (their own profile, /apply/profile/...) and a learner manager (/apply/learners/<code>/
...): `_owner` finds the learner through the one access rule either way, so a learner of
another provider, or another learner's qualification, is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from picsweb.access import request_access, role_required
from picsweb.models import Provider, Role
from picsweb.typing import AuthenticatedHttpRequest
from progress_apply import profiles
from progress_apply.models import (
    LearnerGroup,
    PortalLearner,
    PortalSettings,
    Qualification,
    QualificationType,
)
from progress_apply.profile_forms import (
    GROUP_NAME_TAKEN,
    BulkSettingsForm,
    LearnerGroupEditForm,
    LearnerGroupForm,
    PersonalSectionForm,
    ProviderSettingsForm,
    QualificationForm,
    QualificationTypeForm,
    RefereeForm,
    ReferenceForm,
    StatementForm,
)
from progress_apply.rules import RuleError

LM = Role.LEARNER_MANAGER


def _owner(request: AuthenticatedHttpRequest, code: str | None) -> tuple[PortalLearner, bool]:
    """(the learner, whether a manager is acting): a manager's learner by code, else the
    learner's own profile."""
    if code is not None:
        if not request_access(request).has(LM):
            raise Http404
        related = PortalLearner.objects.select_related("user", "provider")
        learner: PortalLearner = request_access(request).get(related, LM, code=code)
        return learner, True
    return own_learner(request), False


def own_learner(request: AuthenticatedHttpRequest) -> PortalLearner:
    """The signed-in user's own learner profile (404 for anyone who is not a learner)."""
    own = PortalLearner.objects.select_related("user", "provider").filter(user=request.user)
    found = own.first()
    if found is None:
        raise Http404
    return found


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _url(name: str, learner: PortalLearner, manager: bool, **kwargs: Any) -> str:
    if manager:
        return reverse(f"progress_apply:learner-{name}", kwargs={"code": learner.code, **kwargs})
    # On the learner's own pages the qualification's code is the URL's only code.
    own = {"code": kwargs["qualification"]} if "qualification" in kwargs else kwargs
    return reverse(f"progress_apply:my-{name}", kwargs=own)


def _back(learner: PortalLearner, manager: bool, tab: str) -> str:
    if manager:
        return reverse("progress_apply:learner-profile", kwargs={"code": learner.code}) + (
            f"?tab={tab}"
        )
    return reverse("progress_apply:my-" + tab)


def _context(learner: PortalLearner, manager: bool, **extra: Any) -> dict[str, Any]:
    return {
        "learner": learner,
        "manager": manager,
        "sections": profiles.section_rows(learner),
        **extra,
    }


# --- the manager's learner summary (S12), approval ------------------------------------------


@role_required(LM)
def learner_profile(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner, _ = _owner(request, code)
    tab = request.GET.get("tab", "personal")
    if tab not in (*profiles.SECTIONS, "reference"):
        raise Http404
    reference = profiles.reference_for(learner)
    context = _context(
        learner,
        True,
        tab=tab,
        qualifications=_qualification_rows(learner, True),
        **_qualification_actions(request, learner, True),
        reference=reference,
        referee=profiles.referee_of(learner, reference),
        signs_off=profiles.sign_off_applies(learner),
        manager_adds=profiles.manager_adds_qualifications(learner),
        ready=profiles.profile_ready(learner),
    )
    return render(request, "progress_apply/learner_profile.html", context)


@require_POST
@role_required(LM)
def profile_approve(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner, _ = _owner(request, code)
    try:
        profiles.profile_approve(learner=learner, by=request.user)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The profile of {learner.user.get_full_name()} is approved.")
    return redirect("progress_apply:learner-profile", code=learner.code)


@require_POST
@role_required(LM)
def profile_unapprove(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner, _ = _owner(request, code)
    profiles.profile_unapprove(learner=learner, by=request.user)
    messages.success(request, f"The profile of {learner.user.get_full_name()} is not approved.")
    return redirect("progress_apply:learner-profile", code=learner.code)


# --- the learner's sections (S13) ---------------------------------------------------------------


def _after_save(learner: PortalLearner, manager: bool, section: str, done: bool) -> str:
    """Where a section's Save goes: the learner home (or the manager's learner summary) once
    complete, the section again otherwise."""
    if manager:
        if done:
            return _back(learner, True, section)
        return reverse(f"progress_apply:learner-{section}", kwargs={"code": learner.code})
    return reverse("progress_apply:learner-home" if done else f"progress_apply:my-{section}")


@login_required
def personal_section(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    """The Personal details section, for the learner (/apply/profile/personal/) and for their
    learner manager (/apply/learners/<code>/personal/, seed §1.2 "edit information within a
    learner profile", §5.2f-g): the same form and rules either way."""
    learner, manager = _owner(request, code)
    complete = learner.personal_status == profiles.COMPLETE
    editing = not complete or "update" in request.GET or request.method == "POST"
    initial = {name: getattr(learner, name) for name in PersonalSectionForm.FIELDS}
    form = PersonalSectionForm(
        request.POST or None, initial={**initial, "email": learner.user.email}
    )
    if request.method == "POST" and form.is_valid():
        done = bool(request.POST.get("complete"))
        profiles.personal_details_save(
            learner=learner,
            by=request.user,
            values=form.learner_values(),
            email=form.cleaned_data["email"],
            complete=done,
        )
        messages.success(
            request, "Personal details complete." if done else "Personal details saved."
        )
        return redirect(_after_save(learner, manager, "personal", done))
    return render(
        request,
        "progress_apply/section_personal.html",
        _context(learner, manager, form=form, editing=editing),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def statement_section(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    """The Personal statement section, for the learner and for their manager (as above)."""
    learner, manager = _owner(request, code)
    complete = learner.statement_status == profiles.COMPLETE
    editing = not complete or "update" in request.GET or request.method == "POST"
    form = StatementForm(
        request.POST or None, initial={"personal_statement": learner.personal_statement}
    )
    if request.method == "POST" and form.is_valid():
        done = bool(request.POST.get("complete"))
        try:
            profiles.statement_save(
                learner=learner,
                by=request.user,
                text=form.cleaned_data["personal_statement"],
                complete=done,
            )
        except RuleError as error:
            form.add_error("personal_statement", error.message)
        else:
            messages.success(
                request, "Personal statement complete." if done else "Personal statement saved."
            )
            return redirect(_after_save(learner, manager, "statement", done))
    return render(
        request,
        "progress_apply/section_statement.html",
        _context(learner, manager, form=form, editing=editing),
        status=400 if request.method == "POST" else 200,
    )


# --- qualifications (S14-S16), for the learner and for a manager ------------------------------


def _qualification_rows(learner: PortalLearner, manager: bool) -> list[dict[str, Any]]:
    rows = []
    for q in learner.qualifications.select_related(
        "type", "subject", "predicted_grade", "actual_grade"
    ):
        rows.append(
            {
                "q": q,
                "edit": _url("qualification-edit", learner, manager, qualification=q.code),
                "delete": _url("qualification-delete", learner, manager, qualification=q.code),
            }
        )
    return rows


def _qualification_actions(
    request: AuthenticatedHttpRequest, learner: PortalLearner, manager: bool
) -> dict[str, Any]:
    """What the qualifications list offers: the table's edit and delete links and 'Add' only
    while the section is open; 'Update qualifications' on a completed one (R27)."""
    by = request.user
    may_change = profiles.may_change_qualifications(learner, by)
    is_open = may_change and profiles.qualifications_open(learner, by)
    return {
        "may_change": is_open,
        "may_reopen": may_change and not is_open,
        "kept_complete": is_open and profiles.manager_keeps_approval(learner, by),
        "at_maximum": learner.qualifications.count() >= profiles.MAX_QUALIFICATIONS,
        "maximum_message": profiles.MAXIMUM_REACHED,
        "add_url": _url("qualification-add", learner, manager),
        "complete_url": _url("qualifications-complete", learner, manager),
        "reopen_url": _url("qualifications-reopen", learner, manager),
    }


def _refused(
    request: AuthenticatedHttpRequest,
    learner: PortalLearner,
    manager: bool,
    *,
    adding: bool = False,
) -> HttpResponse | None:
    """Back to the list with the reason, when the user may not change the qualifications now
    (the links are hidden then; this answers a page reached anyway)."""
    refusal = profiles.qualification_refusal(learner, request.user, adding=adding)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(_back(learner, manager, "qualifications"))


@login_required
def qualifications(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    learner, manager = _owner(request, code)
    if manager:
        return redirect(_back(learner, True, "qualifications"))
    return render(
        request,
        "progress_apply/section_qualifications.html",
        _context(
            learner,
            False,
            rows=_qualification_rows(learner, False),
            **_qualification_actions(request, learner, False),
        ),
    )


@require_POST
@login_required
def qualifications_reopen(
    request: AuthenticatedHttpRequest, code: str | None = None
) -> HttpResponse:
    """'Update qualifications': a completed section opens again (R27, R28)."""
    learner, manager = _owner(request, code)
    try:
        profiles.section_reopen(learner=learner, by=request.user, section="qualifications")
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "You can change the qualifications now. Mark them complete again when you have "
            "finished.",
        )
    return redirect(_back(learner, manager, "qualifications"))


@login_required
def qualification_add(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    """S15: choose the type; the next page is that type's template."""
    learner, manager = _owner(request, code)
    refused = _refused(request, learner, manager, adding=True)
    if refused:
        return refused
    form = QualificationTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["type"]
        return redirect(_url("qualification-template", learner, manager) + f"?type={kind.pk}")
    return render(
        request,
        "progress_apply/qualification_type.html",
        _context(learner, manager, form=form, back=_back(learner, manager, "qualifications")),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def qualification_template(
    request: AuthenticatedHttpRequest, code: str | None = None
) -> HttpResponse:
    """S16 (?type=<id> from S15): subject, completion date and grades of the chosen type;
    Save / Save and add another qualification."""
    learner, manager = _owner(request, code)
    refused = _refused(request, learner, manager, adding=request.method != "POST")
    if refused:
        return refused
    type_id = request.GET.get("type", "")
    if not type_id.isdigit() or len(type_id) > 9:  # a key the database can hold
        return redirect(_url("qualification-add", learner, manager))
    kind = get_object_or_404(QualificationType, pk=int(type_id))
    form = QualificationForm(request.POST or None, qualification_type=kind)
    if request.method == "POST" and form.is_valid():
        try:
            profiles.qualification_add(
                learner=learner, by=request.user, values=form.cleaned_data["values"]
            )
        except RuleError as error:
            form.add_error("subject", error.message)
        else:
            messages.success(request, f"{kind} {form.cleaned_data['subject']} added.")
            if "another" in request.POST:
                return redirect(_url("qualification-add", learner, manager))
            return redirect(_back(learner, manager, "qualifications"))
    return _template_page(request, learner, manager, kind, form)


@login_required
def qualification_edit(
    request: AuthenticatedHttpRequest, qualification: str, code: str | None = None
) -> HttpResponse:
    learner, manager = _owner(request, code)
    found = get_object_or_404(learner.qualifications.select_related("type"), code=qualification)
    refused = _refused(request, learner, manager)
    if refused:
        return refused
    initial = {
        "subject": found.subject_id,
        "predicted_grade": found.predicted_grade_id,
        "actual_grade": found.actual_grade_id,
        "completed_month": found.completed_on.month if found.completed_on else "",
        "completed_year": found.completed_on.year if found.completed_on else "",
    }
    form = QualificationForm(request.POST or None, qualification_type=found.type, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profiles.qualification_update(
                qualification=found, by=request.user, values=form.cleaned_data["values"]
            )
        except RuleError as error:
            form.add_error("subject", error.message)
        else:
            messages.success(request, f"{found} saved.")
            return redirect(_back(learner, manager, "qualifications"))
    return _template_page(request, learner, manager, found.type, form, editing=found)


def _template_page(
    request: AuthenticatedHttpRequest,
    learner: PortalLearner,
    manager: bool,
    kind: QualificationType,
    form: QualificationForm,
    editing: Qualification | None = None,
) -> HttpResponse:
    return render(
        request,
        "progress_apply/qualification_form.html",
        _context(
            learner,
            manager,
            form=form,
            kind=kind,
            editing=editing,
            back=_back(learner, manager, "qualifications"),
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def qualification_delete(
    request: AuthenticatedHttpRequest, qualification: str, code: str | None = None
) -> HttpResponse:
    """'Are you sure?' (GET), then the delete (POST)."""
    learner, manager = _owner(request, code)
    found = get_object_or_404(
        learner.qualifications.select_related("type", "subject"), code=qualification
    )
    refused = _refused(request, learner, manager)
    if refused:
        return refused
    if request.method != "POST":
        return render(
            request,
            "progress_apply/qualification_delete.html",
            _context(
                learner,
                manager,
                qualification=found,
                back=_back(learner, manager, "qualifications"),
            ),
        )
    try:
        profiles.qualification_delete(qualification=found, by=request.user)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{found} deleted.")
    return redirect(_back(learner, manager, "qualifications"))


@login_required
def my_qualification_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return qualification_edit(request, qualification=code)


@login_required
def my_qualification_delete(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return qualification_delete(request, qualification=code)


@require_POST
@login_required
def qualifications_complete(
    request: AuthenticatedHttpRequest, code: str | None = None
) -> HttpResponse:
    """'I have added all of my qualifications' (or the manager's, when they add them)."""
    learner, manager = _owner(request, code)
    try:
        profiles.section_complete(learner=learner, by=request.user, section="qualifications")
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Qualifications complete.")
    return redirect(_back(learner, manager, "qualifications"))


# --- the reference (S17, S18) ---------------------------------------------------------------------


@role_required(LM)
def reference(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner, _ = _owner(request, code)
    found = profiles.reference_for(learner)
    completing = bool(request.POST.get("complete"))
    form = ReferenceForm(request.POST or None, instance=found, completing=completing)
    if request.method == "POST" and form.is_valid():
        try:
            profiles.reference_save(reference=form.instance, by=request.user, complete=completing)
        except RuleError:
            for field, message in profiles.reference_problems(
                form.instance, completing=completing
            ).items():
                form.add_error(field, message)
        else:
            messages.success(
                request, "Reference complete." if completing else "Reference details saved."
            )
            return redirect(_back(learner, True, "reference"))
    return render(
        request,
        "progress_apply/reference_form.html",
        _context(learner, True, form=form, referee=profiles.referee_of(learner, found)),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def my_reference(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's own view of their reference: what it says only once it is complete and
    the manager chose 'Display to learner' Yes (R42)."""
    learner = own_learner(request)
    seen, found = profiles.reference_seen_by_learner(learner)
    return render(
        request,
        "progress_apply/my_reference.html",
        _context(
            learner,
            False,
            seen=seen,
            reference=found,
            ratings=profiles.reference_ratings(found) if found else [],
            referee=profiles.referee_of(learner, found) if found else None,
        ),
    )


@role_required(LM)
def referee(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner, _ = _owner(request, code)
    found = profiles.reference_for(learner)
    form = RefereeForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Referee saved.")
        return redirect("progress_apply:learner-reference", code=learner.code)
    return render(
        request,
        "progress_apply/referee_form.html",
        _context(learner, True, form=form),
        status=400 if request.method == "POST" else 200,
    )


# --- settings (R22-R24) ---------------------------------------------------------------------------


@role_required(Role.PROVIDER_MANAGER)
def provider_settings(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    provider = request_access(request).provider(Role.PROVIDER_MANAGER, str(code))
    found = PortalSettings.objects.filter(provider=provider).first() or PortalSettings(
        provider=provider
    )
    form = ProviderSettingsForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        form.save()
        profiles.gates_may_have_cleared(PortalLearner.objects.filter(provider=provider))
        messages.success(request, f"Portal settings of {provider.name} saved.")
        return redirect("progress_apply:providers")
    return render(
        request,
        "progress_apply/provider_settings.html",
        {"form": form, "provider": provider},
        status=400 if request.method == "POST" else 200,
    )


@role_required(LM)
def bulk_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = request_access(request)
    learners = access.scoped(PortalLearner.objects.all(), LM)
    groups = access.scoped(LearnerGroup.objects.select_related("provider"), LM)
    form = BulkSettingsForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen, where = profiles.settings_learners(
            learners=learners, group=data["group"], year_group=data["year_group"]
        )
        changed = profiles.settings_apply(
            learners=chosen,
            sign_off=data["sign_off_profile"] or None,
            manager_adds=data["manager_adds_qualifications"] or None,
        )
        learners_word = "learner" if changed == 1 else "learners"
        messages.success(request, f"Settings changed for {changed:,} {learners_word} of {where}.")
        return redirect("progress_apply:learners")
    return render(
        request,
        "progress_apply/bulk_settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- learner groups (S21, S21a) -------------------------------------------------------------------


def _group_provider(request: AuthenticatedHttpRequest, code: str) -> Provider:
    """A provider whose groups the user reaches (learner, provider or user manager there):
    403 without any of those roles, 404 at another provider."""
    providers = profiles.group_providers(request_access(request))
    if not providers:
        raise PermissionDenied
    for provider in providers:
        if str(provider.code) == str(code):
            return provider
    raise Http404


def _created_group(request: AuthenticatedHttpRequest, code: str) -> LearnerGroup:
    """A group the user may change (a Provider or User Manager at its provider), else 404."""
    groups = profiles.groups_created_by(request_access(request)).select_related("provider")
    return get_object_or_404(groups, code=code)


@login_required
def group_list(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    access = request_access(request)
    provider = _group_provider(request, code)
    creates = profiles.creates_groups_at(access, provider)
    form = LearnerGroupForm(request.POST or None, provider=provider) if creates else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                with transaction.atomic():
                    group = form.save()
            except IntegrityError:  # the same name sent twice at once: the constraint's answer
                form.add_error("name", GROUP_NAME_TAKEN)
            else:
                messages.success(request, f"Learner group {group.name} created.")
                return redirect("progress_apply:groups", code=provider.code)
    in_provider = LearnerGroup.objects.filter(provider=provider)
    groups = in_provider if creates else access.scoped(in_provider, LM)
    return render(
        request,
        "progress_apply/group_list.html",
        {
            "provider": provider,
            "groups": groups.prefetch_related("managers"),
            "form": form,
            "creates": creates,
            "may_associate": access.has(LM) and profiles.may_associate(access),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def group_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A Provider or User Manager renames a group and chooses its learner managers (R2, R4)."""
    group = _created_group(request, code)
    form = LearnerGroupEditForm(request.POST or None, instance=group, provider=group.provider)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Learner group {group.name} saved.")
        return redirect("progress_apply:groups", code=group.provider.code)
    return render(
        request,
        "progress_apply/group_edit.html",
        {"group": group, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def group_delete(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """'Are you sure?' (GET), then the delete (POST), by a Provider or User Manager."""
    group = _created_group(request, code)
    if request.method != "POST":
        return render(request, "progress_apply/group_delete.html", {"group": group})
    profiles.group_delete(group=group)
    messages.success(request, f"Learner group {group.name} deleted.")
    return redirect("progress_apply:groups", code=group.provider.code)


@role_required(LM)
def group_members(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Tick learners in or out of a group (only a manager in no group: R3)."""
    access = request_access(request)
    group = access.get(LearnerGroup.objects.select_related("provider"), LM, code=code)
    if not profiles.may_associate(access):
        raise Http404
    learners = access.scoped(PortalLearner.objects.filter(provider=group.provider), LM)
    if group.year_group:
        learners = learners.filter(year_group=group.year_group)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        learners = learners.filter(
            Q(user__last_name__istartswith=search)
            | Q(user__first_name__istartswith=search)
            | Q(user__username__istartswith=search)
        )
    learners = learners.select_related("user").order_by("user__last_name", "user__first_name", "id")
    page = Paginator(learners, 50).get_page(request.GET.get("page"))
    if request.method == "POST":
        # Codes as sent: anything not a UUID is not one of these learners.
        shown = {c for c in request.POST.getlist("shown") if _is_uuid(c)}
        ticked = set(request.POST.getlist("member"))
        with transaction.atomic():
            for learner in learners.filter(code__in=shown):
                profiles.group_set_member(
                    group=group, learner=learner, member=str(learner.code) in ticked
                )
        messages.success(request, f"Learner group {group.name} saved.")
        return redirect(request.get_full_path())
    members = set(group.learners.values_list("pk", flat=True))
    return render(
        request,
        "progress_apply/group_members.html",
        {"group": group, "page": page, "members": members, "search": search},
    )
