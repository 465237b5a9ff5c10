"""A Provider Admin invites a colleague into their provider by email (issue 19 §7)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from picsweb.models import Membership, Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "email": "Sam.Colleague@example.com",
    "first_name": "Sam",
    "last_name": "Colleague",
    "roles": [Role.LEARNER_LIST.value, Role.EDIT_LEARNERS.value],
}


def test_a_new_colleague_gets_an_account_the_roles_and_a_link_to_choose_a_password(personas):
    admin = personas.client_for(personas.provider_admin)
    response = admin.post(f"/invite/?provider={personas.provider.code}", FORM, follow=True)
    assert "An invitation is on its way to Sam.Colleague@example.com" in response.content.decode()
    sam = User.objects.get(username="sam.colleague@example.com")
    assert not sam.has_usable_password()
    assert set(
        Membership.objects.filter(user=sam, provider=personas.provider).values_list(
            "role", flat=True
        )
    ) == {Role.LEARNER_LIST, Role.EDIT_LEARNERS}
    (email,) = mail.outbox
    assert email.to == ["Sam.Colleague@example.com"]
    assert email.subject == "You are invited to picsweb at Northgate Training"
    assert "Learner List, Edit Learners" in email.body
    link = re.search(r"http://\S+/accounts/reset/\S+/", str(email.body))
    assert link is not None
    # The link lets them choose a password, once.
    client = personas.client_for(personas.nobody)
    client.logout()
    page = client.get(link.group(0), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(0)
    done = client.post(
        form_url,
        {"new_password1": "Colleague-Pass-2026", "new_password2": "Colleague-Pass-2026"},
    )
    assert done.status_code == 302
    sam.refresh_from_db()
    assert sam.check_password("Colleague-Pass-2026")
    assert client.get(link.group(0), follow=True).context["validlink"] is False


def test_someone_with_an_account_is_given_the_roles_and_told_so(personas):
    existing = make_user(username="sam.colleague@example.com", email="sam.colleague@example.com")
    existing.set_password("Their-Own-Pass-1")
    existing.save()
    admin = personas.client_for(personas.provider_admin)
    response = admin.post(f"/invite/?provider={personas.provider.code}", FORM, follow=True)
    assert "An invitation is on its way to Sam.Colleague@example.com" in response.content.decode()
    existing.refresh_from_db()
    assert existing.check_password("Their-Own-Pass-1")
    assert Membership.objects.filter(user=existing, provider=personas.provider).count() == 2
    (email,) = mail.outbox
    assert "/accounts/reset/" not in email.body and "as before" in email.body


def test_only_a_provider_admin_invites_and_only_into_their_provider(personas):
    everything_else = make_user(
        provider=personas.provider,
        roles=[r for r in Role if r is not Role.PROVIDER_ADMIN],
        username="almost-admin",
    )
    assert personas.client_for(everything_else).get("/invite/").status_code == 403
    admin = personas.client_for(personas.provider_admin)
    other = f"/invite/?provider={personas.other_provider.code}"
    assert admin.get(other).status_code == 404
    assert admin.post(other, FORM).status_code == 404
    assert not User.objects.filter(username="sam.colleague@example.com").exists()
    assert mail.outbox == []


def test_a_form_with_errors_names_each_field(personas):
    admin = personas.client_for(personas.provider_admin)
    page = admin.post("/invite/", {"email": "not-an-email", "first_name": "", "last_name": "X"})
    body = page.content.decode()
    assert "<title>Error: Invite a colleague" in body
    assert "Enter an email address in the correct format" in body
    assert "Enter their first name" in body and "Choose at least one thing they may do" in body
    assert not User.objects.filter(username="not-an-email").exists()
