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
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from learners.models import Membership, Provider, ProviderQuerySet, Role

if TYPE_CHECKING:
    from picsweb.typing import AnyUser

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def providers_for(user: AnyUser, role: Role) -> ProviderQuerySet:
    return Provider.objects.with_role(user, role)


def memberships(user: AnyUser) -> list[Membership]:
    """The user's memberships with their providers, read once per request (the request's
    user object lives for one request, so it carries the cache)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_picsweb_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("provider"))
        user._picsweb_memberships = cached  # type: ignore[attr-defined]
    return cached


def user_roles(user: AnyUser) -> set[Role]:
    """Every role the user holds at any provider (Provider Admin implies all of them)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if getattr(user, "is_superuser", False):
        return set(Role)
    held = {Role(m.role) for m in memberships(user)}
    if Role.PROVIDER_ADMIN in held:
        return set(Role)
    return held


def providers_with_role(user: AnyUser, role: Role) -> list[Provider]:
    """Like providers_for, as a list from the cached memberships (superusers: every provider)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if getattr(user, "is_superuser", False):
        return list(Provider.objects.order_by("name"))
    found = {
        m.provider.pk: m.provider
        for m in memberships(user)
        if m.role in (role, Role.PROVIDER_ADMIN)
    }
    return sorted(found.values(), key=lambda p: p.name)


def provider_for(user: AnyUser, role: Role, code: str | None) -> Provider:
    """The provider a page works on: the one asked for by code, if the user holds `role`
    there (else 404), or the user's first such provider."""
    providers = providers_with_role(user, role)
    if not providers:
        raise PermissionDenied
    if not code:
        return providers[0]
    for provider in providers:
        if str(provider.code) == code:
            return provider
    raise Http404


def roles_at(user: AnyUser, provider: Provider) -> set[Role]:
    """The roles the user holds at one provider (Provider Admin and superusers: all)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if getattr(user, "is_superuser", False):
        return set(Role)
    held = {Role(m.role) for m in memberships(user) if m.provider_id == provider.pk}
    return set(Role) if Role.PROVIDER_ADMIN in held else held


def is_admin_user(user: AnyUser) -> bool:
    """Who may enter the Django admin: superusers and provider admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(m.role == Role.PROVIDER_ADMIN for m in memberships(user))


def role_required(role: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Login required, then 403 unless the user holds `role` at one provider at least."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not providers_with_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
