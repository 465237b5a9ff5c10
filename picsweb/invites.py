"""A Provider Admin invites a colleague by email into their provider, with the roles they
choose: the account is made (its username is the email address, no password yet) and the email
carries a one-use link to choose a password (Django's password-reset token, which stops working
once a password is set). Someone who already has an account is given the roles and told so; the
page says the same either way, so it does not tell who has an account."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from picsweb.emails import send_templated_email
from picsweb.models import Membership, Provider, Role


@dataclass
class Invited:
    user: AbstractBaseUser
    new_account: bool
    roles_added: list[Role]


def invite_colleague(
    *,
    by: AbstractBaseUser,
    provider: Provider,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[Role],
) -> Invited:
    User = get_user_model()
    email = email.strip()
    with transaction.atomic():
        user = User.objects.filter(username__iexact=email).first()
        new_account = user is None
        if user is None:
            user = User.objects.create(
                username=email.lower(), email=email, first_name=first_name, last_name=last_name
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
        held = set(
            Membership.objects.filter(user=user, provider=provider).values_list("role", flat=True)
        )
        added = [role for role in roles if role not in held]
        Membership.objects.bulk_create(
            [Membership(user=user, provider=provider, role=role) for role in added]
        )
    context = {
        "provider": provider,
        "by": by.get_full_name() or by.get_username(),  # type: ignore[attr-defined]
        "roles": [Role(role).label for role in roles],
        "username": user.get_username(),
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
    }
    if new_account:
        context["path"] = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    transaction.on_commit(
        lambda: send_templated_email(name="staff-invite", to=[email], context=context)
    )
    return Invited(user, new_account, added)
