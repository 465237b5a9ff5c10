"""The portal's pages under /apply/ (seed 003 §2-§7). Every learner-manager page finds learners
through the one access rule (`request.access.scoped` / `.get` with Role.LEARNER_MANAGER), so a
learner of another provider is a 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Upper
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from picsweb.access import request_access, role_required
from picsweb.accounts import email_within_rate_limit
from picsweb.models import Role
from picsweb.typing import AuthenticatedHttpRequest
from progress_apply import profiles, services
from progress_apply.forms import (
    ChangePasswordForm,
    CreateLearnerForm,
    ForgottenUsernameForm,
    LearnerDetailsForm,
    NewPasswordForm,
    PersonalDetailsForm,
    StaffAccountForm,
    UsernameForm,
)
from progress_apply.middleware import MUST_CHANGE_SESSION_KEY
from progress_apply.models import AccountDetails, Application, CredentialAccess, PortalLearner
from progress_apply.profile_views import own_learner

LM = Role.LEARNER_MANAGER


def _learners(request: AuthenticatedHttpRequest) -> QuerySet[PortalLearner]:
    return services.learners_for(request_access(request))


def _learner(request: AuthenticatedHttpRequest, code: str) -> PortalLearner:
    found: PortalLearner = request_access(request).get(
        PortalLearner.objects.select_related("user", "provider"), LM, code=code
    )
    return found


# --- dashboard and the learner list ----------------------------------------------------------


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The portal's home for staff: a part for each of the learner, provider and user
    manager roles the user holds (seed §4: "an overview of the role that you have")."""
    access = request_access(request)
    group_providers = profiles.group_providers(access)
    if not group_providers:
        if PortalLearner.objects.filter(user=request.user).exists():
            return redirect("progress_apply:learner-home")  # a learner's home is theirs
        raise PermissionDenied
    counts = services.dashboard_counts(_learners(request)) if access.has(LM) else None
    return render(
        request,
        "progress_apply/dashboard.html",
        {
            "counts": counts,
            "settings_providers": access.providers(Role.PROVIDER_MANAGER),
            "staff_providers": access.providers(Role.USER_MANAGER),
            "group_providers": group_providers,
            "creates_groups": any(access.has(role) for role in profiles.GROUP_CREATORS),
        },
    )


@role_required(LM)
def learner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    show = services.DASHBOARD_BY_SLUG.get(request.GET.get("show", "all"))
    if show is None:
        raise Http404
    learners = show.filter(_learners(request))
    search = request.GET.get("q", "").strip()[: settings.SEARCH_MAX_CHARS]
    provider_code = request.GET.get("provider", "")
    if provider_code:
        provider = request_access(request).provider(LM, provider_code)
        learners = learners.filter(provider=provider)
    if search:
        learners = learners.filter(
            Q(user__username__istartswith=search)
            | Q(user__last_name__istartswith=search)
            | Q(user__first_name__istartswith=search)
            | Q(user__email__istartswith=search)
        )
    # In the order of the index progress_apply_user_name_order (user_id is the user's id).
    learners = learners.select_related("user", "provider").order_by(
        Upper("user__last_name"), Upper("user__first_name"), "user_id"
    )
    page = Paginator(learners, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "progress_apply/learner_list.html",
        {"page": page, "show": show, "search": search, "provider_code": provider_code},
    )


@login_required
def provider_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The providers where the user is a learner, provider or user manager, with what each
    role lets them open there."""
    access = request_access(request)
    providers = profiles.group_providers(access)
    if not providers:
        raise PermissionDenied
    counts = dict(
        _learners(request).values("provider").annotate(n=Count("id")).values_list("provider", "n")
    )
    learners_at = set(access.provider_ids(LM))
    settings_at = set(access.provider_ids(Role.PROVIDER_MANAGER))
    rows = [
        {
            "provider": provider,
            "count": counts.get(provider.pk, 0) if provider.pk in learners_at else None,
            "learners": provider.pk in learners_at,
            "settings": provider.pk in settings_at,
        }
        for provider in providers
    ]
    return render(request, "progress_apply/provider_list.html", {"rows": rows})


# --- one learner -------------------------------------------------------------------------------


@role_required(LM)
def learner_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    providers = request_access(request).providers(LM)
    initial: dict[str, Any] = {}
    if request.GET.get("provider"):
        initial["provider"] = request_access(request).provider(LM, request.GET["provider"]).code
    for name in ("year_group",):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = CreateLearnerForm(request.POST or None, providers=providers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        learner = services.portal_learner_create(
            by=request.user,
            provider=data["provider"],
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            **form.learner_fields(),
        )
        messages.success(request, f"Learner {learner.user.get_full_name()} created.")
        if "add_another" in request.POST:
            # "Create learner and add another" keeps the provider and year group.
            query = f"?provider={data['provider'].code}&year_group={data['year_group']}"
            return redirect(reverse("progress_apply:learner-create") + query)
        return redirect("progress_apply:learners")
    return render(
        request,
        "progress_apply/learner_form.html",
        {"form": form, "creating": True},
        status=400 if request.method == "POST" else 200,
    )


@role_required(LM)
def learner_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner = _learner(request, code)
    providers = request_access(request).providers(LM)
    user = learner.user
    born = learner.date_of_birth
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "provider": learner.provider.code,
        "dob_day": born.day,
        "dob_month": born.month,
        "dob_year": born.year,
        **{name: getattr(learner, name) for name in services.LEARNER_FIELDS},
    }
    form = LearnerDetailsForm(request.POST or None, providers=providers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.portal_learner_update(
            learner=learner,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            provider=data["provider"],
            **form.learner_fields(),
        )
        messages.success(request, f"Learner {user.get_full_name()} saved.")
        return redirect("progress_apply:learners")
    return render(
        request,
        "progress_apply/learner_form.html",
        {"form": form, "learner": learner, "creating": False},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(LM)
def learner_reset_password(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner = _learner(request, code)
    new = services.portal_learner_reset_password(learner=learner, by=request.user)
    # Shown once, on this response only; never put in the URL or a message cookie.
    return render(
        request, "progress_apply/learner_reset_done.html", {"learner": learner, "password": new}
    )


@require_POST
@role_required(LM)
def learner_unlock(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner = _learner(request, code)
    services.portal_learner_unlock(learner=learner)
    messages.success(request, f"{learner.user.get_username()} is unlocked and can log in again.")
    return redirect("progress_apply:learners")


@role_required(LM)
def learner_delete(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner = _learner(request, code)
    if request.method == "POST":
        name = learner.user.get_full_name()
        outcome = services.portal_learner_delete(learner=learner)
        if outcome == "deactivated":
            messages.success(
                request, f"{name} has submitted applications, so the account is deactivated."
            )
        else:
            messages.success(request, f"Learner {name} deleted.")
        return redirect("progress_apply:learners")
    return render(request, "progress_apply/learner_delete.html", {"learner": learner})


# --- learners who have not logged on (§5.3, §7.5) ----------------------------------------------


@role_required(LM)
def not_logged_on(request: AuthenticatedHttpRequest) -> HttpResponse:
    learners = services.learners_not_logged_on(_learners(request))
    page = Paginator(learners, 100).get_page(request.GET.get("page"))
    rows = [services.not_logged_on_row(learner) for learner in page.object_list]
    services.credentials_logged(
        by=request.user, action=CredentialAccess.Action.VIEW, count=len(rows)
    )
    return render(
        request,
        "progress_apply/not_logged_on.html",
        {"page": page, "rows": rows, "columns": services.NOT_LOGGED_ON_COLUMNS},
    )


@role_required(LM)
def not_logged_on_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    learners = services.learners_not_logged_on(_learners(request))
    content = services.not_logged_on_xlsx(learners)
    services.credentials_logged(
        by=request.user, action=CredentialAccess.Action.DOWNLOAD, count=learners.count()
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="learners-not-logged-on.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


# --- accounts (§3) -----------------------------------------------------------------------------


def _is_learner(request: AuthenticatedHttpRequest) -> bool:
    return PortalLearner.objects.filter(user=request.user).exists()


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Personal details tab."""
    user = request.user
    details, _ = AccountDetails.objects.get_or_create(user=user)
    learner = PortalLearner.objects.filter(user=user).first()
    telephone = learner.telephone if learner else details.telephone
    form = PersonalDetailsForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "telephone": telephone,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        before = (user.first_name, user.last_name, user.email, telephone)
        after = (data["first_name"], data["last_name"], data["email"], data["telephone"])
        if learner is not None and before != after:
            profiles.personal_details_changed(learner=learner, by=user)
        user.first_name, user.last_name, user.email = (
            data["first_name"],
            data["last_name"],
            data["email"],
        )
        user.save(update_fields=["first_name", "last_name", "email"])
        if learner is not None:
            learner.telephone = data["telephone"]
            learner.save(update_fields=["telephone", "updated_at"])
        else:
            details.telephone = data["telephone"]
            details.save(update_fields=["telephone"])
        messages.success(request, "Your personal details are saved.")
        return redirect("progress_apply:account")
    return render(
        request,
        "progress_apply/account.html",
        {"form": form, "tab": "details"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def account_username(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Username tab: saving logs the user out (§3.3)."""
    user = request.user
    form = UsernameForm(
        request.POST or None,
        user=user,
        learner=_is_learner(request),
        initial={"username": user.get_username()},
    )
    if request.method == "POST" and form.is_valid():
        user.username = form.cleaned_data["username"]
        user.save(update_fields=["username"])
        logout(request)
        messages.success(request, "Your username is changed. Log in with your new username.")
        return redirect("login")
    return render(
        request,
        "progress_apply/account.html",
        {"form": form, "tab": "username"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def account_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Password tab (§3.4)."""
    form = ChangePasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.portal_password_change(
            user=request.user, new_password=form.cleaned_data["new_password"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password is changed.")
        return redirect("progress_apply:account-password")
    return render(
        request,
        "progress_apply/account.html",
        {"form": form, "tab": "password"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def first_login(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A learner's first log-in (or the first after a reset): choose a password (§5.1, §7.5)."""
    learner = PortalLearner.objects.filter(user=request.user).first()
    if learner is None or not learner.must_change_password:
        request.session.pop(MUST_CHANGE_SESSION_KEY, None)
        return redirect("home")
    form = NewPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.portal_password_change(
            user=request.user, new_password=form.cleaned_data["new_password"]
        )
        update_session_auth_hash(request, request.user)
        request.session.pop(MUST_CHANGE_SESSION_KEY, None)
        messages.success(request, "Your password is changed.")
        return redirect("progress_apply:learner-home")
    return render(
        request,
        "progress_apply/first_login.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def learner_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    learner = own_learner(request)
    context = {
        "learner": learner,
        "sections": profiles.section_rows(learner),
        "signs_off": profiles.sign_off_applies(learner),
        "manager_adds": profiles.manager_adds_qualifications(learner),
        "ready": profiles.profile_ready(learner),
        "favourites": learner.favourites.select_related("course__provider")[:20],
        "offers": learner.applications.filter(status=Application.Status.OFFERED).select_related(
            "course"
        ),
    }
    return render(request, "progress_apply/learner_home.html", context)


# --- staff accounts, verification, reminders ---------------------------------------------------


@role_required(Role.USER_MANAGER)
def staff_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    providers = request_access(request).providers(Role.USER_MANAGER)
    form = StaffAccountForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.staff_account_create(
            by=request.user,
            provider=data["provider"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            roles=[Role(role) for role in data["roles"]],
        )
        AccountDetails.objects.create(user=user, telephone=data["telephone"])
        messages.success(
            request, f"Account created. A verification email has gone to {user.email}."
        )
        return redirect("progress_apply:staff-create")
    return render(
        request,
        "progress_apply/staff_create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def verify_account(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The verification link of a new staff account: choose a password (§1.4)."""
    user = services.staff_verification_user(token)
    if user is None:
        return render(request, "progress_apply/verify_invalid.html", status=404)
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.portal_password_change(user=user, new_password=form.cleaned_data["new_password"])
        messages.success(request, "Your account is verified. Log in with your new password.")
        return redirect("login")
    return render(
        request,
        "progress_apply/verify.html",
        {"form": form, "account": user},
        status=400 if request.method == "POST" else 200,
    )


def forgotten_username(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ForgottenUsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if email_within_rate_limit(request, form.cleaned_data["email"], purpose="username"):
            services.username_reminder_send(email=form.cleaned_data["email"])
        return render(request, "progress_apply/forgotten_username_sent.html")
    return render(
        request,
        "progress_apply/forgotten_username.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
