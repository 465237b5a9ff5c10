"""The learner list, the dashboard's counts, 'not logged on' and its download, edit and delete,
and managers of provider A against learners of provider B (seed 003 §4, §5.2, §5.3, §6)."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from picsweb.models import Membership, Role
from progress_apply.models import CredentialAccess, PortalLearner
from progress_apply.services import DASHBOARD
from tests.factories import make_provider, make_user
from tests.progress_apply.helpers import form_data, make_portal_learner


@pytest.fixture
def manager_user(personas) -> User:
    return personas.by_role[Role.LEARNER_MANAGER]


@pytest.fixture
def manager(personas, manager_user) -> Client:
    return personas.client_for(manager_user)


def _shown_usernames(client: Client, url: str) -> set[str]:
    return set(re.findall(r'data-learner="([^"]+)"', client.get(url).content.decode()))


def test_the_list_shows_the_managers_learners_only_with_search(manager, personas):
    mine = make_portal_learner(provider=personas.provider, username="alice01", last_name="Zed")
    make_portal_learner(provider=personas.provider, username="bobby01", last_name="Young")
    theirs = make_portal_learner(provider=personas.other_provider, username="secret01")
    page = manager.get("/apply/learners/").content.decode()
    assert "alice01" in page and "bobby01" in page and "secret01" not in page
    assert page.index("bobby01") < page.index("alice01")  # by last name
    for label in ("Create learner", "Import learners", "Learners who have not logged on"):
        assert label in page
    assert _shown_usernames(manager, "/apply/learners/?q=zed") == {"alice01"}
    assert _shown_usernames(manager, "/apply/learners/?q=secret") == set()
    assert mine and theirs


@pytest.mark.parametrize(
    "url",
    [
        "/apply/learners/{code}/",
        "/apply/learners/{code}/profile/",
        "/apply/learners/{code}/delete/",
    ],
)
def test_another_providers_learner_is_a_404(manager, personas, url):
    theirs = make_portal_learner(provider=personas.other_provider)
    assert manager.get(url.format(code=theirs.code)).status_code == 404
    assert manager.post(url.format(code=theirs.code)).status_code == 404
    assert PortalLearner.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("action", ["reset-password", "unlock"])
def test_another_providers_learner_cannot_be_reset_or_unlocked(manager, personas, action):
    theirs = make_portal_learner(provider=personas.other_provider)
    before = theirs.issued_password
    PortalLearner.objects.filter(pk=theirs.pk).update(locked_at=timezone.now())
    assert manager.post(f"/apply/learners/{theirs.code}/{action}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.issued_password == before and theirs.locked_at is not None


def test_a_manager_at_two_providers_sees_both(personas, manager_user):
    third = make_provider(name="Third School")
    Membership.objects.create(user=manager_user, provider=third, role=Role.LEARNER_MANAGER)
    make_portal_learner(provider=personas.provider, username="first01")
    make_portal_learner(provider=third, username="third01")
    client = personas.client_for(manager_user)
    assert _shown_usernames(client, "/apply/learners/") == {"first01", "third01"}
    assert _shown_usernames(client, f"/apply/learners/?provider={third.code}") == {"third01"}
    providers = client.get("/apply/providers/").content.decode()
    assert "Third School" in providers and "Northgate Training" in providers
    assert "Elsewhere College" not in providers


def test_each_dashboard_count_equals_the_rows_its_link_opens(manager, personas):
    make_portal_learner(provider=personas.provider, username="never01")
    logged = make_portal_learner(provider=personas.provider, username="logged01")
    User.objects.filter(pk=logged.user_id).update(last_login=timezone.now())
    locked = make_portal_learner(provider=personas.provider, username="locked01")
    PortalLearner.objects.filter(pk=locked.pk).update(locked_at=timezone.now())
    make_portal_learner(provider=personas.other_provider, username="other01")
    page = manager.get("/apply/").content.decode()
    assert "Learner manager" in page and len(DASHBOARD) == 10
    for count in DASHBOARD:
        number = int(re.findall(rf'data-number="{count.slug}">([\d,]+)<', page)[0])
        link = f"/apply/learners/?show={count.slug}"
        assert f'href="{link}"' in page
        shown = manager.get(link).content.decode()
        assert len(re.findall(r"data-learner=", shown)) == number, count.slug
    assert re.search(r'data-number="all">3<', page)
    assert re.search(r'data-number="never-logged-in">2<', page)
    assert re.search(r'data-number="locked-out">1<', page)
    assert _shown_usernames(manager, "/apply/learners/?show=locked-out") == {"locked01"}


def test_the_dashboard_counts_in_at_most_ten_queries(manager, personas):
    for _ in range(3):
        make_portal_learner(provider=personas.provider)
    manager.get("/apply/")
    with CaptureQueriesContext(connection) as queries:
        assert manager.get("/apply/").status_code == 200
    counting = [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counting) <= 10


def test_not_logged_on_shows_issued_credentials_records_each_view_and_downloads_xlsx(
    manager, personas, manager_user
):
    learner = make_portal_learner(
        provider=personas.provider,
        username="RLearner1",
        password="RLK258E1",
        first_name="Bob",
        last_name="=HYPERLINK(1)",
        postcode="LS6 2AB",
    )
    gone = make_portal_learner(provider=personas.provider, username="already01")
    User.objects.filter(pk=gone.user_id).update(last_login=timezone.now())
    make_portal_learner(provider=personas.other_provider, username="secret01", password="Secret99")
    page = manager.get("/apply/learners/not-logged-on/").content.decode()
    assert "RLearner1" in page and "RLK258E1" in page and "01 Jan 2010" in page
    assert "already01" not in page and "secret01" not in page and "Secret99" not in page
    download = manager.get("/apply/learners/not-logged-on.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Provider",
        "First name",
        "Last name",
        "Postcode",
        "ULN",
        "DOB",
        "Username",
        "Password",
        "Created on",
    )
    assert len(rows) == 2
    assert rows[1][0] == "Northgate Training" and rows[1][6:8] == ("RLearner1", "RLK258E1")
    # A name that looks like a formula stays text.
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(1)"
    actions = list(
        CredentialAccess.objects.filter(user=manager_user).values_list("action", "learner_count")
    )
    assert sorted(actions) == [("download", 1), ("view", 1)]
    assert learner


def test_a_password_issued_under_another_key_is_never_shown_as_a_blank(manager, personas):
    from cryptography.fernet import Fernet

    from progress_apply.services import UNREADABLE_PASSWORD

    learner = make_portal_learner(
        provider=personas.provider, username="OldKey01", password="OldKey99"
    )
    other_key = Fernet(Fernet.generate_key()).encrypt(b"OldKey99").decode()
    PortalLearner.objects.filter(pk=learner.pk).update(issued_password=other_key)
    page = manager.get("/apply/learners/not-logged-on/").content.decode()
    assert "OldKey01" in page and "OldKey99" not in page
    assert UNREADABLE_PASSWORD in page


def test_a_learner_disappears_from_not_logged_on_after_the_first_log_in(manager, personas):
    make_portal_learner(provider=personas.provider, username="RLearner1", password="RLK258E1")
    assert "RLearner1" in manager.get("/apply/learners/not-logged-on/").content.decode()
    Client().post("/accounts/login/", {"username": "RLearner1", "password": "RLK258E1"})
    assert "RLearner1" not in manager.get("/apply/learners/not-logged-on/").content.decode()
    assert PortalLearner.objects.get().issued_password == ""


def test_a_manager_edits_a_learner(manager, personas):
    learner = make_portal_learner(provider=personas.provider, username="edit0001")
    page = manager.get(f"/apply/learners/{learner.code}/").content.decode()
    assert 'name="username"' not in page and "Create learner and add another" not in page
    data = form_data(personas.provider, first_name="Renamed", postcode="ls62ab")
    for name in ("username", "password"):
        data.pop(name)
    assert manager.post(f"/apply/learners/{learner.code}/", data).status_code == 302
    learner.refresh_from_db()
    assert learner.user.first_name == "Renamed" and learner.postcode == "LS6 2AB"
    bad = manager.post(f"/apply/learners/{learner.code}/", {**data, "uln": "123"})
    assert bad.status_code == 400


def test_delete_asks_first_then_deletes(manager, personas):
    learner = make_portal_learner(provider=personas.provider, username="gone0001")
    page = manager.get(f"/apply/learners/{learner.code}/delete/").content.decode()
    assert "Delete Pat" in page and "gone0001" in page
    assert PortalLearner.objects.filter(pk=learner.pk).exists()
    assert manager.post(f"/apply/learners/{learner.code}/delete/").status_code == 302
    assert not PortalLearner.objects.filter(pk=learner.pk).exists()
    assert not User.objects.filter(username="gone0001").exists()


def test_an_outsider_learner_manager_sees_none_of_this_providers_learners(personas):
    make_portal_learner(provider=personas.provider, username="hidden01", password="Hidden99")
    outsider = make_user(provider=personas.other_provider, roles=[Role.LEARNER_MANAGER])
    client = personas.client_for(outsider)
    for url in ("/apply/learners/", "/apply/learners/not-logged-on/", "/apply/"):
        body = client.get(url).content.decode()
        assert "hidden01" not in body and "Hidden99" not in body
    assert client.get(f"/apply/learners/?provider={personas.provider.code}").status_code == 404
    download = client.get("/apply/learners/not-logged-on.xlsx").content
    assert len(list(load_workbook(io.BytesIO(download)).active.iter_rows())) == 1
