from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from picsweb.access import request_access, role_required
from picsweb.forms import PlainTextMixin
from picsweb.invites import invite_colleague
from picsweb.models import Membership, Role
from picsweb.typing import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if hasattr(request.user, "portal_learner"):
        return redirect("progress_apply:learner-home")
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("provider")
        .order_by("provider__name", "role")
    )
    providers: dict[str, list[str]] = {}
    for membership in memberships:
        providers.setdefault(str(membership.provider), []).append(membership.get_role_display())
    return render(request, "home.html", {"providers": providers})


class InviteForm(PlainTextMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=150,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
    )
    roles = forms.MultipleChoiceField(
        label="What they may do",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing they may do"},
    )


@role_required(Role.PROVIDER_ADMIN)
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A Provider Admin invites a colleague into their provider by email."""
    access = request_access(request)
    provider = access.provider(
        Role.PROVIDER_ADMIN, request.POST.get("provider") or request.GET.get("provider")
    )
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        invite_colleague(
            by=request.user,
            provider=provider,
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            roles=[Role(role) for role in form.cleaned_data["roles"]],
        )
        messages.success(
            request,
            f"An invitation is on its way to {form.cleaned_data['email']}: they choose their "
            f"password from its link and can then sign in to {provider.name}.",
        )
        return redirect(f"{reverse('invite')}?provider={provider.code}")
    return render(
        request,
        "invite.html",
        {
            "form": form,
            "provider": provider,
            "providers": access.providers(Role.PROVIDER_ADMIN),
            "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        },
    )
