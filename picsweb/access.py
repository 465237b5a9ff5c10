"""Role and provider-scope checks used by every view.

A user holds roles per provider (learners.Membership). Every view asks for a role; every
object a view shows is looked up inside the providers where the user holds that role, so an
object of another provider is a 404, never a leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from learners.models import Membership, Provider, ProviderQuerySet, Role

if TYPE_CHECKING:
    from picsweb.typing import AnyUser

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def providers_for(user: AnyUser, role: Role) -> ProviderQuerySet:
    return Provider.objects.with_role(user, role)


def user_roles(user: AnyUser) -> set[Role]:
    """Every role the user holds at any provider (Provider Admin implies all of them)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if getattr(user, "is_superuser", False):
        return set(Role)
    held = {Role(r) for r in Membership.objects.filter(user=user).values_list("role", flat=True)}
    if Role.PROVIDER_ADMIN in held:
        return set(Role)
    return held


def is_admin_user(user: AnyUser) -> bool:
    """Who may enter the Django admin: superusers and provider admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return Membership.objects.filter(user=user, role=Role.PROVIDER_ADMIN).exists()


def role_required(role: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Login required, then 403 unless the user holds `role` at one provider at least."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not providers_for(request.user, role).exists():
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
