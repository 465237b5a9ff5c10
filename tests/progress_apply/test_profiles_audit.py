"""Issue 15, an outsider's findings on the portal's part 2 (profiles, qualifications,
references, learner groups, settings), one section per finding."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management.base import OutputWrapper
from django.test import Client
from openpyxl import load_workbook

from picsweb.imports.cli import run_import
from picsweb.models import Membership, Role
from progress_apply import profiles, rules
from progress_apply.models import (
    REFERENCE_RATINGS,
    LearnerGroup,
    PortalLearner,
    PortalSettings,
    Qualification,
    QualificationType,
)
from progress_apply.qualification_workbook import (
    QUALIFICATION_IMPORT,
    SHEET_LEARNERS,
    export_learners,
    workbook_bytes,
)
from tests.factories import make_user
from tests.progress_apply.helpers import make_portal_learner


@pytest.fixture(autouse=True)
def _reference_data(qualification_data) -> None:
    pass


@pytest.fixture
def learner(personas) -> PortalLearner:
    found = make_portal_learner(provider=personas.provider, email="pat@example.com")
    PortalLearner.objects.filter(pk=found.pk).update(must_change_password=False)
    found.refresh_from_db()
    return found


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. provider and user managers have a home, providers and learner groups -----------------


@pytest.mark.parametrize(
    ("role", "part"),
    [(Role.PROVIDER_MANAGER, "Provider manager"), (Role.USER_MANAGER, "User manager")],
)
def test_it_gives_provider_and_user_managers_a_portal_home(personas, role, part):
    client = client_of(personas.by_role[role])
    home = client.get("/apply/")
    assert home.status_code == 200
    page = home.content.decode()
    assert part in page and f"/apply/providers/{personas.provider.code}/groups/" in page
    assert "Learners who" not in page  # no learner counts without the Learner Manager role
    assert "has no roles yet" not in client.get("/").content.decode()
    assert client.get("/apply/providers/").status_code == 200
    groups = client.get(f"/apply/providers/{personas.provider.code}/groups/")
    assert groups.status_code == 200 and "Create a learner group" in groups.content.decode()


def test_it_lets_a_provider_manager_save_settings_and_land_on_a_page_they_may_see(personas):
    client = client_of(personas.by_role[Role.PROVIDER_MANAGER])
    response = client.post(
        f"/apply/providers/{personas.provider.code}/settings/",
        {"sign_off_profiles": "yes", "manager_adds_qualifications": "no", "referee_name": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "Portal settings of Northgate Training saved." in response.content.decode()
    assert PortalSettings.objects.get(provider=personas.provider).sign_off_profiles


@pytest.mark.parametrize("role", [Role.PROVIDER_MANAGER, Role.USER_MANAGER])
def test_it_lets_provider_and_user_managers_create_groups_and_choose_their_managers(personas, role):
    client = client_of(personas.by_role[role])
    url = f"/apply/providers/{personas.provider.code}/groups/"
    assert client.post(url, {"name": "Tutor 11A", "year_group": "11"}).status_code == 302
    group = LearnerGroup.objects.get(provider=personas.provider, name="Tutor 11A")
    lm = personas.by_role[Role.LEARNER_MANAGER]
    page = client.get(f"/apply/groups/{group.code}/edit/").content.decode()
    assert lm.get_username() in page
    response = client.post(
        f"/apply/groups/{group.code}/edit/",
        {"name": "Tutor 11A", "year_group": "11", "managers": [str(lm.pk)]},
    )
    assert response.status_code == 302
    assert list(group.managers.all()) == [lm]
    # A learner manager of another provider is not among the choices.
    theirs = make_user(provider=personas.other_provider, roles=[Role.LEARNER_MANAGER])
    response = client.post(
        f"/apply/groups/{group.code}/edit/",
        {"name": "Tutor 11A", "year_group": "11", "managers": [str(theirs.pk)]},
    )
    assert response.status_code == 400
    assert list(group.managers.all()) == [lm]


def test_it_keeps_group_pages_404_to_another_providers_managers(personas):
    group = LearnerGroup.objects.create(provider=personas.provider, name="SEN")
    for role in (Role.PROVIDER_MANAGER, Role.USER_MANAGER, Role.LEARNER_MANAGER):
        other = client_of(make_user(provider=personas.other_provider, roles=[role]))
        assert other.get(f"/apply/providers/{personas.provider.code}/groups/").status_code == 404
        assert other.get(f"/apply/groups/{group.code}/edit/").status_code == 404
        response = other.post(f"/apply/groups/{group.code}/edit/", {"name": "Taken over"})
        assert response.status_code == 404
    lm = client_of(personas.by_role[Role.LEARNER_MANAGER])
    assert lm.get(f"/apply/groups/{group.code}/edit/").status_code == 404
    group.refresh_from_db()
    assert group.name == "SEN"
    assert client_of(personas.nobody).get("/apply/").status_code == 403


# --- shared builders for the profile findings --------------------------------------------------


def gcse() -> QualificationType:
    return QualificationType.objects.get(name="GCSE (9-1)")


def qualification_form(kind: QualificationType, **overrides: str) -> dict[str, str]:
    data = {
        "subject": str(kind.subjects.get(name="Mathematics").pk),
        "completed_month": "6",
        "completed_year": "2026",
        "predicted_grade": str(kind.grades.get(grade="7").pk),
        "actual_grade": "",
        "save": "1",
    }
    data.update(overrides)
    return data


def other_subject(name: str = "English Language") -> dict[str, str]:
    return {"subject": str(gcse().subjects.get(name=name).pk)}


def complete_profile(learner: PortalLearner) -> None:
    client = client_of(learner.user)
    client.post("/apply/profile/personal/", {"email": "pat@example.com", "complete": "1"})
    client.post("/apply/profile/statement/", {"personal_statement": STATEMENT, "complete": "1"})
    client.post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}", qualification_form(gcse())
    )
    client.post("/apply/profile/qualifications/complete/")
    learner.refresh_from_db()


def approved(learner: PortalLearner, manager: Client) -> PortalLearner:
    complete_profile(learner)
    manager.post(f"/apply/learners/{learner.code}/profile/approve/")
    learner.refresh_from_db()
    assert learner.approved_at is not None and profiles.profile_ready(learner)
    return learner


@pytest.fixture
def manager(personas) -> Client:
    return client_of(personas.by_role[Role.LEARNER_MANAGER])


STATEMENT = "I want to study engineering because I like building things."


# --- 2. a manager's change keeps an approved profile consistent ------------------------------


def test_it_keeps_the_section_complete_when_a_manager_changes_an_approved_profile(learner, manager):
    approved(learner, manager)
    response = manager.post(
        f"/apply/learners/{learner.code}/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse(), **other_subject()),
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.qualifications.count() == 2
    assert learner.approved_at is not None
    assert learner.qualifications_status == "complete"  # approved, so every section complete
    page = manager.get(f"/apply/learners/{learner.code}/profile/").content.decode()
    assert "Approved" in page and "In progress" not in page


def test_it_still_reopens_the_section_when_a_manager_changes_a_profile_not_approved(
    learner, manager
):
    complete_profile(learner)
    client_of(learner.user).post("/apply/profile/qualifications/reopen/")
    learner.refresh_from_db()
    manager.post(
        f"/apply/learners/{learner.code}/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse(), **other_subject()),
    )
    learner.refresh_from_db()
    assert learner.approved_at is None and learner.qualifications_status == "in_progress"


def test_it_keeps_an_approved_profile_complete_after_the_managers_workbook_import(
    learner, personas, manager, tmp_path
):
    PortalLearner.objects.filter(pk=learner.pk).update(manager_adds_qualifications="yes")
    lm = personas.by_role[Role.LEARNER_MANAGER]
    manager.post(
        f"/apply/learners/{learner.code}/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse()),
    )
    manager.post(f"/apply/learners/{learner.code}/qualifications/complete/")
    client = client_of(learner.user)
    client.post("/apply/profile/personal/", {"email": "pat@example.com", "complete": "1"})
    client.post("/apply/profile/statement/", {"personal_statement": STATEMENT, "complete": "1"})
    manager.post(f"/apply/learners/{learner.code}/profile/approve/")
    learner.refresh_from_db()
    assert learner.approved_at is not None
    learners = export_learners(user=lm, provider=personas.provider, year_group=11)
    workbook = load_workbook(io.BytesIO(workbook_bytes(learners, personas.provider)))
    sheet = workbook[SHEET_LEARNERS]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Qualification Actual Grade 1*") + 1).value = "8"
    path = tmp_path / "qualifications.xlsx"
    workbook.save(path)
    run_import(
        spec=QUALIFICATION_IMPORT,
        file=str(path),
        provider=personas.provider,
        separator=",",
        confirm=True,
        out=OutputWrapper(io.StringIO()),
        owner=lm,
    )
    learner.refresh_from_db()
    assert learner.qualifications.get().actual_grade.grade == "8"
    assert learner.approved_at is not None and learner.qualifications_status == "complete"


# --- 5. a completed Qualifications section is read-only until Update reopens it ---------------


def test_it_keeps_completed_qualifications_read_only_until_update(learner):
    complete_profile(learner)
    (maths,) = learner.qualifications.all()
    client = client_of(learner.user)
    page = client.get("/apply/profile/qualifications/").content.decode()
    assert "Update qualifications" in page
    assert f"/apply/profile/qualifications/{maths.code}/" not in page
    assert "Add another qualification" not in page
    add = f"/apply/profile/qualifications/add/details/?type={gcse().pk}"
    response = client.post(add, qualification_form(gcse(), **other_subject()), follow=True)
    assert profiles.QUALIFICATIONS_CLOSED in response.content.decode()
    client.post(
        f"/apply/profile/qualifications/{maths.code}/",
        qualification_form(gcse(), predicted_grade=str(gcse().grades.get(grade="4").pk)),
    )
    client.post(f"/apply/profile/qualifications/{maths.code}/delete/")
    maths.refresh_from_db()
    assert learner.qualifications.count() == 1 and maths.predicted_grade.grade == "7"
    learner.refresh_from_db()
    assert learner.qualifications_status == "complete"
    # Update reopens it: then it can be changed, and must be completed again (R28).
    client.post("/apply/profile/qualifications/reopen/")
    learner.refresh_from_db()
    assert learner.qualifications_status == "in_progress"
    assert client.post(add, qualification_form(gcse(), **other_subject())).status_code == 302
    assert learner.qualifications.count() == 2


def test_it_unapproves_when_the_learner_reopens_approved_qualifications(learner, manager):
    approved(learner, manager)
    client_of(learner.user).post("/apply/profile/qualifications/reopen/")
    learner.refresh_from_db()
    assert learner.approved_at is None and learner.qualifications_status == "in_progress"


def test_it_keeps_a_managers_completed_qualifications_read_only_until_update(learner, manager):
    complete_profile(learner)
    url = f"/apply/learners/{learner.code}/"
    page = manager.get(f"{url}profile/?tab=qualifications").content.decode()
    assert "Update qualifications" in page and "Add another qualification" not in page
    manager.post(
        f"{url}qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse(), **other_subject()),
    )
    assert learner.qualifications.count() == 1
    manager.post(f"{url}qualifications/reopen/")
    page = manager.get(f"{url}profile/?tab=qualifications").content.decode()
    assert "Add another qualification" in page


# --- 4. 'Display to learner' decides whether the learner reads the reference (R42) ----------


def _reference(**overrides: str) -> dict[str, str]:
    data = {
        "display_to_learner": "no",
        "attendance": "96",
        **{name: "good" for name in REFERENCE_RATINGS},
        "rating_health": "below_average",
        "rating_details": "Often unwell in the spring term",
        "support_required": "no",
        "support_details": "",
        "complete": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("display", "shown"), [("yes", True), ("no", False)])
def test_it_shows_the_learner_a_completed_reference_only_when_displayed(
    learner, manager, display, shown
):
    client = client_of(learner.user)
    url = f"/apply/learners/{learner.code}/reference/"
    draft = _reference(display_to_learner=display, save="1")
    del draft["complete"]
    assert manager.post(url, draft).status_code == 302
    page = client.get("/apply/profile/reference/").content.decode()
    assert 'data-reference="none"' in page and "Often unwell" not in page  # a draft: nothing
    assert manager.post(url, _reference(display_to_learner=display)).status_code == 302
    page = client.get("/apply/profile/reference/").content.decode()
    assert ("Often unwell in the spring term" in page) is shown
    assert ("Below average" in page) is shown
    if not shown:
        assert 'data-reference="hidden"' in page and "Your reference is complete" in page
    assert "/apply/profile/reference/" in client.get("/apply/home/").content.decode()


# --- 10. double submissions, delete confirmations, control characters, bounded details --------


def test_it_refuses_the_same_qualification_sent_twice(learner):
    client = client_of(learner.user)
    url = f"/apply/profile/qualifications/add/details/?type={gcse().pk}"
    assert client.post(url, qualification_form(gcse())).status_code == 302
    response = client.post(url, qualification_form(gcse()))
    assert response.status_code == 400
    assert "GCSE (9-1) Mathematics completed June 2026 is already in the list" in (
        response.content.decode()
    )
    assert learner.qualifications.count() == 1
    # Another completion month is another qualification (a resit).
    assert client.post(url, qualification_form(gcse(), completed_year="2027")).status_code == 302
    # Editing one into the other's twin is refused too.
    later = learner.qualifications.get(completed_on__year=2027)
    response = client.post(
        f"/apply/profile/qualifications/{later.code}/", qualification_form(gcse())
    )
    assert response.status_code == 400 and learner.qualifications.count() == 2


def test_it_refuses_the_same_group_sent_twice(personas):
    client = client_of(personas.by_role[Role.PROVIDER_MANAGER])
    url = f"/apply/providers/{personas.provider.code}/groups/"
    assert client.post(url, {"name": "Tutor 11A", "year_group": "11"}).status_code == 302
    response = client.post(url, {"name": "Tutor 11A", "year_group": "11"})
    assert response.status_code == 400 and "already" in response.content.decode()
    assert LearnerGroup.objects.filter(provider=personas.provider).count() == 1


def test_it_asks_before_deleting_a_qualification(learner, manager):
    client = client_of(learner.user)
    client.post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}", qualification_form(gcse())
    )
    (maths,) = learner.qualifications.all()
    for who, url in (
        (client, f"/apply/profile/qualifications/{maths.code}/delete/"),
        (manager, f"/apply/learners/{learner.code}/qualifications/{maths.code}/delete/"),
    ):
        page = who.get(url)
        assert page.status_code == 200
        assert "Are you sure you want to delete GCSE (9-1) Mathematics?" in page.content.decode()
        assert learner.qualifications.count() == 1
    assert client.post(f"/apply/profile/qualifications/{maths.code}/delete/").status_code == 302
    assert not learner.qualifications.exists()


def test_it_asks_before_deleting_a_group(personas):
    group = LearnerGroup.objects.create(provider=personas.provider, name="Gifted")
    client = client_of(personas.by_role[Role.USER_MANAGER])
    listing = client.get(f"/apply/providers/{personas.provider.code}/groups/").content.decode()
    assert f"/apply/groups/{group.code}/delete/" in listing
    page = client.get(f"/apply/groups/{group.code}/delete/").content.decode()
    assert "Are you sure you want to delete the learner group Gifted?" in page
    assert LearnerGroup.objects.filter(pk=group.pk).exists()
    lm = client_of(personas.by_role[Role.LEARNER_MANAGER])
    assert lm.post(f"/apply/groups/{group.code}/delete/").status_code == 404
    outsider = client_of(personas.outsider)
    assert outsider.post(f"/apply/groups/{group.code}/delete/").status_code == 404
    assert client.post(f"/apply/groups/{group.code}/delete/").status_code == 302
    assert not LearnerGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x0b"])
@pytest.mark.parametrize(
    ("url", "field", "data"),
    [
        ("/apply/profile/statement/", "personal_statement", {"save": "1"}),
        ("/apply/profile/personal/", "town", {"email": "pat@example.com", "save": "1"}),
        ("/apply/account/", "first_name", {"last_name": "L", "email": "pat@example.com"}),
    ],
)
def test_it_refuses_control_characters_in_free_text(learner, character, url, field, data):
    response = client_of(learner.user).post(url, {**data, field: f"Leeds{character}town"})
    assert response.status_code == 400
    assert rules.CONTROL_CHARACTERS in response.content.decode()
    learner.refresh_from_db()
    assert character not in (learner.town + learner.personal_statement + learner.user.first_name)


def test_it_refuses_control_characters_in_a_managers_free_text(learner, manager, personas):
    response = manager.post(
        f"/apply/learners/{learner.code}/reference/",
        _reference(rating_details="Often\x1b unwell"),
    )
    assert response.status_code == 400 and rules.CONTROL_CHARACTERS in response.content.decode()
    pm = client_of(personas.by_role[Role.PROVIDER_MANAGER])
    response = pm.post(
        f"/apply/providers/{personas.provider.code}/groups/", {"name": "Tutor\x0011A"}
    )
    assert response.status_code == 400 and rules.CONTROL_CHARACTERS in response.content.decode()
    assert not LearnerGroup.objects.exists()


def test_it_keeps_tabs_and_new_lines(learner):
    text = "First line\r\n\tindented second line"
    client_of(learner.user).post(
        "/apply/profile/statement/", {"personal_statement": text, "save": "1"}
    )
    learner.refresh_from_db()
    assert learner.personal_statement == "First line\n\tindented second line"


def test_it_caps_the_reference_details_with_a_character_count(learner, manager):
    url = f"/apply/learners/{learner.code}/reference/"
    page = manager.get(url).content.decode()
    assert page.count('data-module="govuk-character-count" data-maxlength="2000"') == 2
    response = manager.post(url, _reference(rating_details="x" * 2001))
    assert response.status_code == 400
    assert profiles.REFERENCE_DETAILS_TOO_LONG in response.content.decode()
    assert manager.post(url, _reference(rating_details="x" * 2000)).status_code == 302


# --- 12. what a learner is offered: manager-adds, the maximum, no jobs ------------------------


def test_it_refuses_a_learners_qualification_pages_with_a_message_when_the_manager_adds(learner):
    kind = gcse()
    other = Qualification.objects.create(
        learner=learner,
        type=kind,
        subject=kind.subjects.get(name="Biology"),
        predicted_grade=kind.grades.get(grade="5"),
    )
    PortalLearner.objects.filter(pk=learner.pk).update(manager_adds_qualifications="yes")
    client = client_of(learner.user)
    listing = client.get("/apply/profile/qualifications/").content.decode()
    assert "/apply/profile/qualifications/add/" not in listing
    assert f"/apply/profile/qualifications/{other.code}/" not in listing
    for url in (
        "/apply/profile/qualifications/add/",
        f"/apply/profile/qualifications/add/details/?type={kind.pk}",
        "/apply/profile/qualifications/add/details/?type=99999999999999999999",
        f"/apply/profile/qualifications/{other.code}/",
        f"/apply/profile/qualifications/{other.code}/delete/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response.redirect_chain[-1][0] == "/apply/profile/qualifications/", url
        assert profiles.MANAGER_ADDS in response.content.decode(), url


def test_it_survives_a_qualification_type_too_big_for_the_database(learner, manager):
    for url in (
        "/apply/profile/qualifications/add/details/?type=99999999999999999999",
        f"/apply/learners/{learner.code}/qualifications/add/details/?type=99999999999999999999",
    ):
        who = manager if "learners" in url else client_of(learner.user)
        assert who.get(url).status_code == 302, url


def test_it_hides_the_add_link_at_the_maximum_and_says_so(learner):
    kind = gcse()
    for name in kind.subjects.values_list("name", flat=True)[:18]:
        Qualification.objects.create(
            learner=learner,
            type=kind,
            subject=kind.subjects.get(name=name),
            predicted_grade=kind.grades.get(grade="5"),
        )
    client = client_of(learner.user)
    page = client.get("/apply/profile/qualifications/").content.decode()
    assert "You have added the maximum of 18 qualifications" in page
    assert "/apply/profile/qualifications/add/" not in page
    response = client.get("/apply/profile/qualifications/add/", follow=True)
    assert "You have added the maximum of 18 qualifications" in response.content.decode()


def test_it_shows_my_jobs_to_staff_but_not_to_learners(learner, personas):
    assert "My jobs" not in client_of(learner.user).get("/apply/home/").content.decode()
    staff = client_of(personas.by_role[Role.LEARNER_MANAGER])
    assert "My jobs" in staff.get("/apply/").content.decode()


# --- 7. error summaries link to their fields; one message a field -----------------------------


def test_it_links_each_reference_error_once_to_its_field(learner, manager):
    response = manager.post(
        f"/apply/learners/{learner.code}/reference/", {"display_to_learner": "no", "complete": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#"' not in page
    expected = {
        "id_attendance": profiles.ATTENDANCE_NEEDED,
        "id_support_required_0": profiles.SUPPORT_NEEDED,
        **{
            f"id_{name}_0": f"{profiles.RATING_NEEDED} {label}"
            for name, label in REFERENCE_RATINGS.items()
        },
    }
    for anchor, message in expected.items():
        assert f'<a href="#{anchor}">{message}</a>' in page, anchor
        assert page.count(message) == 2, message  # the summary and the field
        assert f'id="{anchor}"' in page, anchor


def test_it_links_qualification_and_group_errors_to_their_fields(learner, personas):
    client = client_of(learner.user)
    url = f"/apply/profile/qualifications/add/details/?type={gcse().pk}"
    page = client.post(url, qualification_form(gcse(), predicted_grade="")).content.decode()
    assert 'href="#"' not in page
    assert f'<a href="#id_predicted_grade">{profiles.GRADE_NEEDED}</a>' in page
    page = client.post(url, qualification_form(gcse(), completed_month="13")).content.decode()
    assert 'href="#id_completed_month"' in page and 'id="id_completed_month"' in page
    client.post(url, qualification_form(gcse()))
    page = client.post(url, qualification_form(gcse())).content.decode()  # a duplicate
    assert 'href="#id_subject"' in page and 'href="#"' not in page
    pm = client_of(personas.by_role[Role.PROVIDER_MANAGER])
    group = LearnerGroup.objects.create(provider=personas.provider, name="SEN")
    page = pm.post(
        f"/apply/groups/{group.code}/edit/", {"name": "SEN", "managers": ["0"]}
    ).content.decode()
    assert 'href="#id_managers_0"' in page


# --- 11. plain messages instead of Django's; empty grades ------------------------------------


@time_machine.travel("2026-03-01 12:00", tick=False)
@pytest.mark.parametrize("year", ["99999", "1949", "2032", "twenty"])
def test_it_asks_for_a_completion_year_in_plain_words(learner, year):
    response = client_of(learner.user).post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse(), completed_year=year),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a completion year between 1950 and 2031" in page
    assert "Ensure this value" not in page
    assert not learner.qualifications.exists()


@time_machine.travel("2026-03-01 12:00", tick=False)
def test_it_takes_a_completion_year_five_years_ahead(learner):
    response = client_of(learner.user).post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse(), completed_year="2031"),
    )
    assert response.status_code == 302


@pytest.mark.parametrize("attendance", ["-1", "101", "40000", "9.5"])
def test_it_asks_for_attendance_in_plain_words(learner, manager, attendance):
    response = manager.post(
        f"/apply/learners/{learner.code}/reference/", _reference(attendance=attendance)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Attendance must be a whole number from 0 to 100" in page
    assert "Ensure this value" not in page and "Enter a whole number" not in page


def test_it_asks_to_select_a_qualification_type(learner):
    response = client_of(learner.user).post("/apply/profile/qualifications/add/", {"type": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a qualification type" in page and "This field is required" not in page


def test_it_shows_an_empty_grade_as_not_given(learner, manager):
    client = client_of(learner.user)
    client.post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}", qualification_form(gcse())
    )
    for page in (
        client.get("/apply/profile/qualifications/").content.decode(),
        manager.get(f"/apply/learners/{learner.code}/profile/?tab=qualifications").content.decode(),
    ):
        assert ">None<" not in page and "Not given" in page


# --- 3. the personal statement counts a new line once, and shows the count -------------------


def test_it_counts_a_browsers_new_line_once_against_the_statement_limit(learner):
    lines = ["x" * 99] * 40
    typed = "\r\n".join(lines)  # what a browser sends: 3,999 characters as the page counts
    assert len(typed) > profiles.STATEMENT_MAX >= len("\n".join(lines))
    client = client_of(learner.user)
    response = client.post(
        "/apply/profile/statement/", {"personal_statement": typed, "complete": "1"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.personal_statement == "\n".join(lines)
    assert "\r" not in learner.personal_statement


def test_it_puts_a_character_count_on_the_statement(learner):
    page = client_of(learner.user).get("/apply/profile/statement/").content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="4000"' in page
    assert "govuk-js-character-count" in page
    assert 'aria-describedby="id_personal_statement-info id_personal_statement-hint"' in page


# --- 8. a manager restricted to groups sees only their own groups -----------------------------


def test_it_shows_a_group_manager_only_their_own_groups(personas):
    lm_user = personas.by_role[Role.LEARNER_MANAGER]
    mine = LearnerGroup.objects.create(provider=personas.provider, name="Tutor 11A")
    theirs = LearnerGroup.objects.create(provider=personas.provider, name="Tutor 11B")
    mine.managers.add(lm_user)
    lm = client_of(lm_user)
    page = lm.get(f"/apply/providers/{personas.provider.code}/groups/").content.decode()
    assert "Tutor 11A" in page and "Tutor 11B" not in page
    page = lm.get("/apply/learners/settings/").content.decode()
    assert str(mine.code) in page and str(theirs.code) not in page
    response = lm.post(
        "/apply/learners/settings/",
        {"group": str(theirs.code), "year_group": "", "sign_off_profile": "yes"},
    )
    assert response.status_code == 400
    # A manager in no group, and the provider manager, still see both.
    other_lm = make_user(provider=personas.provider, roles=[Role.LEARNER_MANAGER])
    url = f"/apply/providers/{personas.provider.code}/groups/"
    page = client_of(other_lm).get(url).content.decode()
    assert "Tutor 11A" in page and "Tutor 11B" in page
    pm = client_of(personas.by_role[Role.PROVIDER_MANAGER])
    page = pm.get(f"/apply/providers/{personas.provider.code}/groups/").content.decode()
    assert "Tutor 11A" in page and "Tutor 11B" in page


# --- 9. bulk settings: groups told apart, group and year together, usernames in the tick list --


def test_it_names_each_groups_provider_in_the_bulk_settings_choice(personas):
    both = make_user(provider=personas.provider, roles=[Role.LEARNER_MANAGER])
    Membership.objects.create(
        user=both, provider=personas.other_provider, role=Role.LEARNER_MANAGER
    )
    LearnerGroup.objects.create(provider=personas.provider, name="Tutor 11A")
    LearnerGroup.objects.create(provider=personas.other_provider, name="Tutor 11A")
    page = client_of(both).get("/apply/learners/settings/").content.decode()
    assert "Tutor 11A (Northgate Training)" in page and "Tutor 11A (Elsewhere College)" in page


def test_it_applies_settings_to_a_groups_learners_of_one_year_group(personas, manager):
    group = LearnerGroup.objects.create(provider=personas.provider, name="Gifted")
    year_11 = make_portal_learner(provider=personas.provider, year_group=11)
    year_12 = make_portal_learner(provider=personas.provider, year_group=12)
    outside = make_portal_learner(provider=personas.provider, year_group=11)
    group.learners.add(year_11, year_12)
    response = manager.post(
        "/apply/learners/settings/",
        {"group": str(group.code), "year_group": "11", "sign_off_profile": "yes"},
        follow=True,
    )
    message = (
        "Settings changed for 1 learner of learner group Gifted (Northgate Training) in Year 11"
    )
    assert message in response.content.decode()
    for found, expected in ((year_11, "yes"), (year_12, "default"), (outside, "default")):
        found.refresh_from_db()
        assert found.sign_off_profile == expected


def test_it_shows_usernames_in_the_group_tick_list(personas, manager):
    group = LearnerGroup.objects.create(provider=personas.provider, name="Gifted")
    make_portal_learner(provider=personas.provider, username="pat-smith-7")
    page = manager.get(f"/apply/groups/{group.code}/").content.decode()
    assert '<td class="govuk-table__cell" data-username>pat-smith-7</td>' in page
    assert "pat-smith-7" in manager.get(f"/apply/groups/{group.code}/?q=pat-sm").content.decode()


# --- 6. a learner manager edits the learner's personal details and statement -----------------


def test_it_lets_a_manager_edit_a_learners_personal_details_with_the_same_rules(learner, manager):
    url = f"/apply/learners/{learner.code}/personal/"
    profile = manager.get(f"/apply/learners/{learner.code}/profile/").content.decode()
    assert url in profile
    assert manager.get(url).status_code == 200
    response = manager.post(url, {"email": "pat@example.com", "postcode": "nowhere", "save": "1"})
    assert response.status_code == 400 and "Postcodes must be full UK postcodes" in (
        response.content.decode()
    )
    response = manager.post(
        url, {"email": "pat@example.com", "postcode": "ls62ab", "town": "Leeds", "save": "1"}
    )
    assert response.status_code == 302 and response["Location"] == url
    learner.refresh_from_db()
    assert (learner.postcode, learner.town, learner.personal_status) == (
        "LS6 2AB",
        "Leeds",
        "in_progress",
    )
    response = manager.post(url, {"email": "pat@example.com", "town": "Leeds", "complete": "1"})
    assert response["Location"] == f"/apply/learners/{learner.code}/profile/?tab=personal"
    learner.refresh_from_db()
    assert learner.personal_status == "complete"


def test_it_lets_a_manager_edit_an_approved_learners_statement_and_keeps_it_approved(
    learner, manager
):
    approved(learner, manager)
    url = f"/apply/learners/{learner.code}/statement/"
    page = manager.get(url).content.decode()
    assert "Update my personal information" in page and "<textarea" not in page
    assert "<textarea" in manager.get(f"{url}?update=1").content.decode()
    response = manager.post(url, {"personal_statement": STATEMENT + " Corrected.", "save": "1"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.personal_statement == STATEMENT + " Corrected."
    assert learner.approved_at is not None and learner.statement_status == "complete"
    # The same rules as the learner's own page.
    response = manager.post(url, {"personal_statement": "x" * 4001, "save": "1"})
    assert response.status_code == 400


def test_it_keeps_the_managers_section_pages_to_their_learners(learner, personas):
    theirs = make_portal_learner(provider=personas.other_provider)
    outsider = client_of(personas.outsider)
    for section in ("personal", "statement"):
        url = f"/apply/learners/{learner.code}/{section}/"
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {"personal_statement": "Mine", "save": "1"}).status_code == 404
        # A learner reaches no other learner's pages, not even through these.
        other = f"/apply/learners/{theirs.code}/{section}/"
        assert client_of(learner.user).get(other).status_code == 404
    learner.refresh_from_db()
    assert learner.personal_statement == "" and learner.statement_status == "not_started"
