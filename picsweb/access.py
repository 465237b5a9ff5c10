"""Who may reach what: the one place the access rule is written.

A user holds roles per provider (`Membership` rows). The rule: an anonymous or inactive user
reaches nothing; a superuser holds every role at every provider; Provider Admin implies every
role at its provider. Every view asks the request's `Access` (``request.access``, set by
`AccessMiddleware`, or `access_for(user)` outside a request) for:

- `providers(role)` / `provider_ids(role)`: where the user holds a role;
- `provider(role, code)`: the provider a page works on (403 with none, 404 outside them);
- `roles_at(provider)`, `roles()`: what the user may do there, or anywhere (menus, actions);
- `scoped(queryset, role)` and `get(queryset, role, **lookup)`: any provider-owned object,
  looked up only among the providers where the user holds the role, so another provider's
  object is a 404 that tells nothing. A model whose provider is not its own `provider` field
  names the path in a `PROVIDER_PATH` class attribute (a registration: ``learner__provider``).
  Views look a learner, a registration or an ILR export up with `get` (the core imports no
  app, so it has no per-model names for them); `job_for(code)` is the user's own job.

Kinds of user still to come (the portal) fit here: a learner manager is a member with
`Role.LEARNER_MANAGER`, narrowed further by `register_narrowing` (learner groups); a learner is
a user who reaches only their own record, through the same `scoped`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from picsweb.jobs import get_kind
from picsweb.models import Job, Membership, Provider, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])
M = TypeVar("M", bound=Model)
QS = TypeVar("QS", bound=QuerySet[Any])

# (model, role) -> a function narrowing an already provider-scoped queryset for one user.
Narrowing = Callable[["Access", QuerySet[Any]], QuerySet[Any]]
_NARROWINGS: dict[tuple[type[Model], Role], Narrowing] = {}


def register_narrowing(model: type[Model], role: Role, narrowing: Narrowing) -> None:
    """Narrow what holders of `role` see of `model` below their providers (e.g. a learner
    manager assigned to learner groups sees only those groups' learners)."""
    _NARROWINGS[(model, role)] = narrowing


class Access:
    """What one user may reach, read once (their memberships) and asked many times."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self.active = bool(user.is_authenticated and user.is_active)
        self.is_superuser = self.active and bool(getattr(user, "is_superuser", False))

    @cached_property
    def memberships(self) -> list[Membership]:
        if not self.active or self.is_superuser:
            return []
        return list(Membership.objects.filter(user_id=self.user.pk or 0).select_related("provider"))

    @cached_property
    def _all_providers(self) -> list[Provider]:
        return list(Provider.objects.order_by("name"))

    def _holds(self, membership: Membership, role: Role) -> bool:
        return membership.role in (role, Role.PROVIDER_ADMIN)

    # Providers and roles

    def providers(self, *roles: Role) -> list[Provider]:
        """Providers where the user holds every one of `roles`, by name."""
        if self.is_superuser:
            return self._all_providers
        found: dict[int, Provider] | None = None
        for role in roles:
            holding = {m.provider.pk: m.provider for m in self.memberships if self._holds(m, role)}
            found = holding if found is None else {k: found[k] for k in found if k in holding}
        return sorted((found or {}).values(), key=lambda p: p.name)

    def provider_ids(self, *roles: Role) -> list[int]:
        return [p.pk for p in self.providers(*roles)]

    def has(self, *roles: Role) -> bool:
        """Whether the user holds all of `roles` at one provider at least."""
        return bool(self.providers(*roles))

    def provider(self, roles: Role | tuple[Role, ...], code: str | None) -> Provider:
        """The provider a page works on: the one asked for by code, if the user holds `roles`
        (a role, or every one of a tuple) there (else 404), or the user's first such
        provider (403 if none)."""
        providers = self.providers(*(roles if isinstance(roles, tuple) else (roles,)))
        if not providers:
            raise PermissionDenied
        if not code:
            return providers[0]
        for provider in providers:
            if str(provider.code) == code:
                return provider
        raise Http404

    def roles(self) -> set[Role]:
        """Every role the user holds at any provider."""
        if self.is_superuser:
            return set(Role)
        held = {Role(m.role) for m in self.memberships}
        return set(Role) if Role.PROVIDER_ADMIN in held else held

    def roles_at(self, provider: Provider) -> set[Role]:
        if self.is_superuser:
            return set(Role)
        held = {Role(m.role) for m in self.memberships if m.provider_id == provider.pk}
        return set(Role) if Role.PROVIDER_ADMIN in held else held

    @property
    def may_enter_admin(self) -> bool:
        """Superusers and provider admins."""
        return self.has(Role.PROVIDER_ADMIN)

    # Objects

    def scoped(self, queryset: QS, role: Role) -> QS:
        """`queryset` limited to the providers where the user holds `role` (and any
        narrowing registered for the model and role)."""
        model = queryset.model
        if not self.is_superuser:
            path = getattr(model, "PROVIDER_PATH", "provider")
            key = "pk__in" if model is Provider else f"{path}__in"
            queryset = queryset.filter(**{key: self.provider_ids(role)})
        narrowing = _NARROWINGS.get((model, role))
        if narrowing is not None and not self.is_superuser:
            queryset = narrowing(self, queryset)  # type: ignore[assignment]
        return queryset

    def get(self, queryset: QuerySet[M], role: Role, **lookup: Any) -> M:
        """One object inside the user's scope for `role`, or 404."""
        found = self.scoped(queryset, role).filter(**lookup).first()
        if found is None:
            raise Http404
        return found

    def job_for(self, code: str) -> Job:
        """The user's own job, while they still hold its kind's roles at its provider; else
        404 (a job's owner may have lost a role since it ran)."""
        owned = Job.objects.filter(code=code, owner_id=self.user.pk or 0)
        job = owned.select_related("provider").first() if self.active else None
        if job is None or job.provider_id not in self.provider_ids(*get_kind(job.kind).roles):
            raise Http404
        return job


def access_for(user: AnyUser) -> Access:
    """The user's Access, kept on the user object (which lives for one request)."""
    cached: Access | None = getattr(user, "_picsweb_access", None)
    if cached is None or cached.user is not user:
        cached = Access(user)
        user._picsweb_access = cached  # type: ignore[union-attr]
    return cached


class AccessMiddleware:
    """Sets ``request.access`` (after Django's AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.access = access_for(request.user)  # type: ignore[attr-defined]
        return self.get_response(request)


def request_access(request: HttpRequest) -> Access:
    access: Access | None = getattr(request, "access", None)
    return access if access is not None else access_for(request.user)


def role_required(*roles: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Login required, then 403 unless the user holds all of `roles` at one provider (the
    same one) at least."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request_access(request).has(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
