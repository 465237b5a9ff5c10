"""Log-in, first log-in change, lock-out and unlock, reset, the account page, staff accounts
with a verification email, forgotten username (seed 003 §1.4, §2, §3, §4, §5.2)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from picsweb.models import Membership, Role
from progress_apply import rules
from progress_apply.models import CredentialAccess, PortalLearner
from tests.progress_apply.helpers import make_portal_learner

LOGIN = "/accounts/login/"


def _log_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def learner(personas) -> PortalLearner:
    return make_portal_learner(provider=personas.provider, username="BLearner", password="RLK258E1")


def test_a_learner_logs_in_with_the_issued_password_and_must_choose_their_own(client, learner):
    assert _log_in(client, "blearner", "RLK258E1").status_code == 302  # any case
    # Anything else sends them to choose a password first.
    assert client.get("/")["Location"] == "/apply/first-log-in/"
    assert client.get("/apply/account/")["Location"] == "/apply/first-log-in/"
    learner.refresh_from_db()
    # The issued password is erased at the first log-in, and kept only hashed.
    assert learner.issued_password == ""
    assert learner.user.check_password("RLK258E1")
    too_short = client.post(
        "/apply/first-log-in/", {"new_password": "ab1", "confirm_password": "ab1"}
    )
    assert rules.PASSWORD_MESSAGE in too_short.content.decode()
    mismatch = client.post(
        "/apply/first-log-in/", {"new_password": "mine-2024", "confirm_password": "mine-2025"}
    )
    assert "The passwords do not match" in mismatch.content.decode()
    done = client.post(
        "/apply/first-log-in/", {"new_password": "mine-2024", "confirm_password": "mine-2024"}
    )
    assert done["Location"] == "/apply/home/"
    assert client.get("/apply/home/").status_code == 200
    learner.refresh_from_db()
    assert not learner.must_change_password
    assert learner.user.check_password("mine-2024")
    assert not learner.user.check_password("RLK258E1")


def test_a_learner_who_leaves_before_choosing_still_logs_in_and_is_asked_again(learner):
    first = Client()
    _log_in(first, "BLearner", "RLK258E1")
    again = Client()
    assert _log_in(again, "BLearner", "RLK258E1").status_code == 302
    assert again.get("/")["Location"] == "/apply/first-log-in/"


def test_five_failed_log_ins_in_a_row_lock_a_learner_until_a_manager_unlocks(
    client, learner, personas
):
    for _ in range(4):
        assert _log_in(client, "BLearner", "wrong-1").status_code == 200
    assert _log_in(client, "BLearner", "RLK258E1").status_code == 302  # the count restarts
    client.logout()
    for _ in range(5):
        _log_in(client, "BLearner", "wrong-1")
    learner.refresh_from_db()
    assert learner.locked_at is not None
    refused = _log_in(client, "blearner", "Rlk258e1".upper())  # any case: one account
    assert refused.status_code == 429 and b"Your account is locked" in refused.content
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    page = manager.get("/apply/learners/?show=locked-out").content.decode()
    assert "BLearner" in page and "Unlock" in page
    assert manager.post(f"/apply/learners/{learner.code}/unlock/").status_code == 302
    learner.refresh_from_db()
    assert learner.locked_at is None
    assert _log_in(client, "BLearner", "RLK258E1").status_code == 302


def test_a_manager_resets_a_password_shown_once_and_changed_at_next_log_in(learner, personas):
    learner_client = Client()
    _log_in(learner_client, "BLearner", "RLK258E1")
    learner_client.post(
        "/apply/first-log-in/", {"new_password": "mine-2024", "confirm_password": "mine-2024"}
    )
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    page = manager.post(f"/apply/learners/{learner.code}/reset-password/").content.decode()
    new = re.findall(r"data-new-password>([A-Z0-9]{8})<", page)[0]
    assert CredentialAccess.objects.filter(action="reset", learner=learner).exists()
    fresh = Client()
    assert _log_in(fresh, "BLearner", "mine-2024").status_code == 200  # the old one is gone
    assert _log_in(fresh, "BLearner", new).status_code == 302
    assert fresh.get("/")["Location"] == "/apply/first-log-in/"


def test_the_account_page_saves_personal_details(personas):
    user = personas.by_role[Role.LEARNER_MANAGER]
    client = personas.client_for(user)
    bad = client.post(
        "/apply/account/",
        {"first_name": "", "last_name": "Khan", "email": "x@y", "telephone": "01 2"},
    ).content.decode()
    assert rules.REQUIRED in bad and rules.EMAIL in bad and rules.TELEPHONE in bad
    ok = client.post(
        "/apply/account/",
        {
            "first_name": "Amir",
            "last_name": "Khan",
            "email": "amir@school.example.org",
            "telephone": "01134960000",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.email, user.account_details.telephone) == (
        "Amir",
        "amir@school.example.org",
        "01134960000",
    )


@pytest.mark.parametrize(
    ("username", "ok"),
    [
        ("abcde", False),
        ("abcdef", True),
        ("a" * 150, True),
        ("a" * 151, False),
        ("new.name@school-1_x", True),
        ("new name", False),
    ],
)
def test_a_manager_changes_their_username_and_is_logged_out(personas, username, ok):
    user = personas.by_role[Role.LEARNER_MANAGER]
    client = personas.client_for(user)
    response = client.post("/apply/account/username/", {"username": username})
    user.refresh_from_db()
    if ok:
        assert response["Location"] == "/accounts/login/"
        assert user.username == username
        assert client.get("/apply/").status_code == 302  # logged out
    else:
        assert rules.MANAGER_USERNAME in response.content.decode()
        assert user.username == "has-learner_manager"


def test_a_learner_username_change_keeps_the_learner_rule(client, learner):
    PortalLearner.objects.filter(pk=learner.pk).update(must_change_password=False)
    client.force_login(learner.user)
    response = client.post("/apply/account/username/", {"username": "a" * 128})
    assert rules.LEARNER_USERNAME in response.content.decode()


def test_the_password_tab_needs_the_current_password(personas):
    user = personas.by_role[Role.LEARNER_MANAGER]
    client = personas.client_for(user)
    wrong = client.post(
        "/apply/account/password/",
        {"current_password": "nope", "new_password": "abc123", "confirm_password": "abc123"},
    )
    assert "Your current password is not right" in wrong.content.decode()
    too_long = client.post(
        "/apply/account/password/",
        {
            "current_password": "a-long-test-password",
            "new_password": "a" * 20 + "1",
            "confirm_password": "a" * 20 + "1",
        },
    )
    assert rules.PASSWORD_MESSAGE in too_long.content.decode()
    ok = client.post(
        "/apply/account/password/",
        {
            "current_password": "a-long-test-password",
            "new_password": "b" * 19 + "1",
            "confirm_password": "b" * 19 + "1",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("b" * 19 + "1")
    assert client.get("/apply/").status_code == 200  # still logged in


def test_a_user_manager_creates_a_staff_account_verified_by_email(personas):
    manager = personas.client_for(personas.by_role[Role.USER_MANAGER])
    response = manager.post(
        "/apply/staff/new/",
        {
            "first_name": "Jane",
            "last_name": "Smith",
            "email": "Jane.Smith@school.example.org",
            "telephone": "",
            "provider": str(personas.provider.code),
            "roles": [Role.LEARNER_MANAGER.value],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="jane.smith@school.example.org")
    assert user.username == "jane.smith@school.example.org"
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, role=Role.LEARNER_MANAGER).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jane.smith@school.example.org"]
    link = re.search(r"http://\S+(/accounts/verify/\S+/)", str(mail.outbox[0].body))[1]  # type: ignore[index]
    client = Client()
    assert b"Verify your account" in client.get(link).content
    done = client.post(link, {"new_password": "chosen-1", "confirm_password": "chosen-1"})
    assert done["Location"] == "/accounts/login/"
    assert _log_in(client, "jane.smith@school.example.org", "chosen-1").status_code == 302
    assert client.get("/apply/").status_code == 200
    # One use only.
    assert Client().get(link).status_code == 404


def test_a_verification_link_expires_after_seven_days(personas):
    manager = personas.client_for(personas.by_role[Role.USER_MANAGER])
    manager.post(
        "/apply/staff/new/",
        {
            "first_name": "Al",
            "last_name": "Bo",
            "email": "al@school.example.org",
            "provider": str(personas.provider.code),
            "roles": [Role.USER_MANAGER.value],
        },
    )
    link = re.search(r"http://\S+(/accounts/verify/\S+/)", str(mail.outbox[0].body))[1]  # type: ignore[index]
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, hours=1)):
        assert Client().get(link).status_code == 404


def test_staff_accounts_are_made_only_by_user_managers_at_their_providers(personas):
    learner_manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    assert learner_manager.get("/apply/staff/new/").status_code == 403
    manager = personas.client_for(personas.by_role[Role.USER_MANAGER])
    response = manager.post(
        "/apply/staff/new/",
        {
            "first_name": "Al",
            "last_name": "Bo",
            "email": "al@school.example.org",
            "provider": str(personas.other_provider.code),
            "roles": [Role.USER_MANAGER.value],
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="al@school.example.org").exists()


def test_forgotten_username_says_the_same_whether_or_not_the_address_exists(client, personas):
    unknown = client.post("/accounts/forgotten-username/", {"email": "nobody@example.org"})
    assert mail.outbox == []
    personas.by_role[Role.LEARNER_MANAGER].email = "lm@school.example.org"
    personas.by_role[Role.LEARNER_MANAGER].save()
    known = client.post("/accounts/forgotten-username/", {"email": "LM@school.example.org"})
    assert unknown.content == known.content
    assert len(mail.outbox) == 1
    assert "has-learner_manager" in mail.outbox[0].body
    assert mail.outbox[0].to == ["lm@school.example.org"]
