"""Issue 14, found by an outsider's audit: seed messages for over-long values, the seed's password
rule for everyone, the issued password cannot be kept, Locked out clears with any unlock, the
username reminder rate-limited, and every learner URL a 404 elsewhere."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from picsweb.models import Role
from progress_apply import rules
from progress_apply.models import PortalLearner
from tests.progress_apply.helpers import form_data, make_portal_learner

URL = "/apply/learners/new/"


@pytest.fixture
def manager(personas):
    return personas.client_for(personas.by_role[Role.LEARNER_MANAGER])


def _log_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


# --- messages over the form's max_length: the seed's message, not Django's -------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "a" * 201, rules.LEARNER_USERNAME),
        ("password", "a1" * 51, rules.PASSWORD_MESSAGE),
        ("telephone", "0" * 21, rules.TELEPHONE),
        ("uln", "1" * 21, rules.ULN),
        ("upn", "A" * 21, rules.UPN),
        ("ccis_id", "A" * 21, rules.CCIS),
        ("postcode", "A" * 21, rules.POSTCODE),
    ],
)
def test_overlong_values_get_the_seeds_message(manager, personas, field, value, message):
    response = manager.post(URL, form_data(personas.provider, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()


# --- the password rule "for everyone": the seed's rule and message only ----------------------


def test_first_log_in_takes_a_password_the_seed_rule_allows(personas):
    make_portal_learner(provider=personas.provider, username="BLearner", password="RLK258E1")
    client = Client()
    _log_in(client, "BLearner", "RLK258E1")
    response = client.post(
        "/apply/first-log-in/", {"new_password": "abc123", "confirm_password": "abc123"}
    )
    assert response.status_code == 302, re.findall(
        r"govuk-error-message[^>]*>(.*?)</p>", response.content.decode(), re.S
    )


def test_first_log_in_refuses_the_issued_password(personas):
    make_portal_learner(provider=personas.provider, username="BLearner", password="RLK258E1")
    client = Client()
    _log_in(client, "BLearner", "RLK258E1")
    response = client.post(
        "/apply/first-log-in/", {"new_password": "RLK258E1", "confirm_password": "RLK258E1"}
    )
    assert response.status_code == 400, "the issued password (printed on the XLSX) was kept"


# --- lock state: the dashboard's Locked out after the emailed reset link unlocks ---------------


def test_locked_out_count_clears_when_the_emailed_reset_unlocks(personas, manager):
    learner = make_portal_learner(
        provider=personas.provider,
        username="BLearner",
        password="RLK258E1",
        email="b@x.example.org",
    )
    first = Client()
    _log_in(first, "BLearner", "RLK258E1")
    first.post(
        "/apply/first-log-in/", {"new_password": "mine-2024", "confirm_password": "mine-2024"}
    )
    bad = Client()
    for _ in range(5):
        _log_in(bad, "BLearner", "wrong-1")
    learner.refresh_from_db()
    assert learner.locked_at is not None
    Client().post("/accounts/password_reset/", {"email": "b@x.example.org"})
    link = re.search(r"(/accounts/reset/\S+/\S+/)", str(mail.outbox[-1].body))[1]  # type: ignore[index]
    reset = Client()
    form = reset.get(link, follow=True)
    reset.post(
        form.redirect_chain[-1][0],
        {"new_password1": "fresh-2025", "new_password2": "fresh-2025"},
    )
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username="blearner").exists()  # axes: unlocked
    page = manager.get("/apply/").content.decode()
    number = int(re.findall(r'data-number="locked-out">([\d,]+)<', page)[0])
    assert number == 0, "dashboard still counts the learner as locked out after the reset"


# --- forgotten username: a neutral message, and not an email cannon --------------------------


def test_forgotten_username_is_rate_limited_like_the_password_reset(client, personas):
    user = personas.by_role[Role.LEARNER_MANAGER]
    user.email = "lm@school.example.org"
    user.save()
    for _ in range(10):
        client.post("/accounts/forgotten-username/", {"email": "lm@school.example.org"})
    assert len(mail.outbox) <= 5, f"{len(mail.outbox)} reminder emails to one address"


# --- 404 on every id URL, edit moving a learner to provider B -----------------------------------


def test_edit_cannot_move_own_learner_to_another_provider(manager, personas):
    learner = make_portal_learner(provider=personas.provider, username="mine0001")
    data = form_data(personas.other_provider)
    for name in ("username", "password"):
        data.pop(name)
    assert manager.post(f"/apply/learners/{learner.code}/", data).status_code == 400
    learner.refresh_from_db()
    assert learner.provider == personas.provider


@pytest.mark.parametrize(
    "url",
    [
        "/apply/learners/{code}/",
        "/apply/learners/{code}/profile/",
        "/apply/learners/{code}/delete/",
        "/apply/learners/{code}/reset-password/",
        "/apply/learners/{code}/unlock/",
    ],
)
def test_provider_admin_elsewhere_and_outsider_get_404(personas, url):
    theirs = make_portal_learner(provider=personas.provider)
    outsider = personas.client_for(personas.outsider)  # every role at the other provider
    assert outsider.post(url.format(code=theirs.code)).status_code == 404
    assert PortalLearner.objects.filter(pk=theirs.pk, locked_at=None).exists()


def test_dashboard_count_equals_list_count_over_a_page(manager, personas):
    for _ in range(55):
        make_portal_learner(provider=personas.provider)
    page = manager.get("/apply/").content.decode()
    number = int(re.findall(r'data-number="never-logged-in">([\d,]+)<', page)[0])
    shown = manager.get("/apply/learners/?show=never-logged-in").content.decode()
    assert f"{number} learners" in shown
    assert number == 55


def test_the_record_of_who_saw_issued_passwords_is_read_only_and_for_superusers(personas):
    from progress_apply.models import CredentialAccess

    entry = CredentialAccess.objects.create(
        user=personas.by_role[Role.LEARNER_MANAGER], action="download", learner_count=3
    )
    everyone = personas.client_for(personas.superuser)
    assert everyone.get("/admin/progress_apply/credentialaccess/").status_code == 200
    page = everyone.get(f"/admin/progress_apply/credentialaccess/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert everyone.get("/admin/progress_apply/credentialaccess/add/").status_code == 403
    admin_client = personas.client_for(personas.provider_admin)
    assert admin_client.get("/admin/progress_apply/credentialaccess/").status_code == 403
