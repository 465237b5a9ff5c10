from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from picsweb.models import Membership
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
