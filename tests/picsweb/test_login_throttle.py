"""Five wrong passwords lock an account until it is unlocked or its password is reset; reset
emails are rate-limited per address and per client, and the page never says which."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

RIGHT = "a-long-test-password"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client: Client, password: str):
    return client.post("/accounts/login/", {"username": "provadmin", "password": password})


def test_it_locks_the_account_after_five_wrong_passwords(personas):
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "wrong").status_code == 200
    assert _sign_in(client, "wrong").status_code == 429  # the fifth locks it
    locked = _sign_in(client, RIGHT)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Your account is locked" in body
    assert "govuk-heading-xl" in body  # a page of the site, not a bare error text
    assert "reset your password" in body.lower()
    # From another machine too: the account is locked, not the client.
    assert _sign_in(Client(REMOTE_ADDR="10.9.8.7"), RIGHT).status_code == 429
    assert Client().get("/").status_code == 302


def test_it_still_signs_in_after_four_wrong_passwords(personas):
    client = Client()
    for _ in range(4):
        _sign_in(client, "wrong")
    assert _sign_in(client, RIGHT).status_code == 302


def test_it_unlocks_the_account_when_the_password_is_reset(personas):
    personas.provider_admin.email = "pa@example.com"
    personas.provider_admin.save()
    client = Client()
    for _ in range(5):
        _sign_in(client, "wrong")
    assert _sign_in(client, RIGHT).status_code == 429

    client.post("/accounts/password_reset/", {"email": "pa@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert link
    form_page = client.get(link.group(1), follow=True)
    new = "another-pass-9"  # 6-20 characters (seed 003 §3.4)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302

    assert _sign_in(Client(), new).status_code == 302


def test_it_sends_one_reset_email_per_address_in_the_window(personas):
    personas.provider_admin.email = "pa@example.com"
    personas.provider_admin.save()
    first = Client(REMOTE_ADDR="10.0.0.1").post(
        "/accounts/password_reset/", {"email": "pa@example.com"}
    )
    second = Client(REMOTE_ADDR="10.0.0.2").post(
        "/accounts/password_reset/", {"email": "PA@example.com"}, follow=True
    )
    assert first.status_code == 302
    assert len(mail.outbox) == 1
    # The page says the same neutral thing: nothing tells the sender it was held back.
    assert second.status_code == 200
    assert b"If an account has that address" in second.content


def test_it_limits_reset_emails_from_one_client(personas, settings):
    users = list(personas.by_role.values())
    for n, user in enumerate(users):
        user.email = f"member{n}@example.com"
        user.save()
    client = Client(REMOTE_ADDR="10.0.0.9")
    for user in users:
        response = client.post("/accounts/password_reset/", {"email": user.email})
        assert response.status_code == 302
    assert len(users) > settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_CLIENT
