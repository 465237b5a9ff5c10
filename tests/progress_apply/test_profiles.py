"""The learner's profile (seed 003 §5.2, §5.4-5.6, §8): sections and their states, the
qualification pages for the learner and the manager, manager-adds, approval and un-approval,
references, effective settings, learner groups and their scoping, the dashboard counts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from picsweb.access import Access
from picsweb.models import Membership, Role
from progress_apply import profiles
from progress_apply.models import (
    REFERENCE_RATINGS,
    LearnerGroup,
    PortalLearner,
    PortalSettings,
    Qualification,
    QualificationGrade,
    QualificationSubject,
    QualificationType,
    Reference,
)
from progress_apply.services import DASHBOARD_BY_SLUG, dashboard_counts, learners_for
from tests.factories import make_user
from tests.progress_apply.helpers import make_portal_learner

STATEMENT = "I want to study engineering because I like building things."


@pytest.fixture(autouse=True)
def _reference_data(qualification_data) -> None:
    pass


@pytest.fixture
def manager_user(personas) -> User:
    return personas.by_role[Role.LEARNER_MANAGER]


@pytest.fixture
def manager(personas, manager_user) -> Client:
    return personas.client_for(manager_user)


@pytest.fixture
def learner(personas) -> PortalLearner:
    found = make_portal_learner(provider=personas.provider, email="pat@example.com")
    PortalLearner.objects.filter(pk=found.pk).update(must_change_password=False)
    found.refresh_from_db()
    return found


def client_of(learner: PortalLearner) -> Client:
    client = Client()
    client.force_login(learner.user)
    return client


def gcse() -> QualificationType:
    return QualificationType.objects.get(name="GCSE (9-1)")


def subject(kind: QualificationType, name: str) -> QualificationSubject:
    return kind.subjects.get(name=name)


def grade(kind: QualificationType, value: str) -> QualificationGrade:
    return kind.grades.get(grade=value)


def qualification_form(kind: QualificationType, **overrides: str) -> dict[str, str]:
    data = {
        "subject": str(subject(kind, "Mathematics").pk),
        "completed_month": "6",
        "completed_year": "2026",
        "predicted_grade": str(grade(kind, "7").pk),
        "actual_grade": "",
        "save": "1",
    }
    data.update(overrides)
    return data


def complete_profile(learner: PortalLearner) -> None:
    client = client_of(learner)
    client.post("/apply/profile/personal/", {"email": "pat@example.com", "complete": "1"})
    client.post("/apply/profile/statement/", {"personal_statement": STATEMENT, "complete": "1"})
    client.post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}", qualification_form(gcse())
    )
    client.post("/apply/profile/qualifications/complete/")
    learner.refresh_from_db()


# --- reference data ------------------------------------------------------------------------------


def test_the_reference_data_gives_each_type_its_own_subjects_and_grades(db):
    kind = gcse()
    assert kind.subjects.filter(name="Mathematics").exists()
    assert [g.grade for g in kind.grades.all()][:3] == ["9", "8", "7"]
    a_level = QualificationType.objects.get(name="A level")
    assert [g.grade for g in a_level.grades.all()][:2] == ["A*", "A"]
    assert not a_level.grades.filter(grade="9").exists()
    diploma = QualificationType.objects.get(name="Level 3 diploma")
    assert diploma.subjects.filter(name="Mathematics").exists()
    assert diploma.grades.filter(grade="Distinction*").exists()


# --- sections ------------------------------------------------------------------------------------


def test_a_section_goes_from_not_started_to_in_progress_to_complete_and_is_read_only(learner):
    client = client_of(learner)
    home = client.get("/apply/home/").content.decode()
    assert home.count("Not started") == 3
    response = client.post(
        "/apply/profile/statement/", {"personal_statement": "Draft", "save": "1"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.statement_status == "in_progress"
    client.post("/apply/profile/statement/", {"personal_statement": STATEMENT, "complete": "1"})
    learner.refresh_from_db()
    assert learner.statement_status == "complete"
    page = client.get("/apply/profile/statement/").content.decode()
    assert "Update my personal information" in page and "<textarea" not in page
    assert "<textarea" in client.get("/apply/profile/statement/?update=1").content.decode()
    # Editing a completed section reopens it (R28).
    client.post("/apply/profile/statement/", {"personal_statement": STATEMENT + "!", "save": "1"})
    learner.refresh_from_db()
    assert learner.statement_status == "in_progress"


def test_a_statement_over_the_limit_is_refused_with_its_message(learner):
    response = client_of(learner).post(
        "/apply/profile/statement/", {"personal_statement": "x" * 4001, "complete": "1"}
    )
    assert response.status_code == 400
    assert profiles.STATEMENT_TOO_LONG in response.content.decode()


def test_the_personal_details_section_keeps_the_seed_rules(learner):
    response = client_of(learner).post(
        "/apply/profile/personal/", {"email": "pat@example.com", "postcode": "nowhere", "save": "1"}
    )
    assert response.status_code == 400
    assert "Postcodes must be full UK postcodes" in response.content.decode()
    client_of(learner).post(
        "/apply/profile/personal/",
        {"email": "new@example.com", "postcode": "sw1a1aa", "town": "London", "complete": "1"},
    )
    learner.refresh_from_db()
    assert (learner.postcode, learner.town, learner.user.email) == (
        "SW1A 1AA",
        "London",
        "new@example.com",
    )
    assert learner.personal_status == "complete"


# --- qualifications ------------------------------------------------------------------------------


def test_a_learner_adds_a_qualification_type_then_subject_then_grades(learner):
    client = client_of(learner)
    response = client.post("/apply/profile/qualifications/add/", {"type": str(gcse().pk)})
    assert response["Location"] == f"/apply/profile/qualifications/add/details/?type={gcse().pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Mathematics" in page and "A*" not in page  # only this type's grades
    response = client.post(response["Location"], qualification_form(gcse(), another="1", save=""))
    assert response["Location"] == "/apply/profile/qualifications/add/"
    (added,) = learner.qualifications.all()
    assert (added.subject.name, added.predicted_grade.grade, added.completed_on.month) == (
        "Mathematics",
        "7",
        6,
    )
    assert not added.verified
    learner.refresh_from_db()
    assert learner.qualifications_status == "in_progress"
    listing = client.get("/apply/profile/qualifications/").content.decode()
    assert "Mathematics" in listing and f"/apply/profile/qualifications/{added.code}/" in listing
    # Edit it: an actual grade too.
    response = client.post(
        f"/apply/profile/qualifications/{added.code}/",
        qualification_form(gcse(), actual_grade=str(grade(gcse(), "8").pk)),
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.actual_grade.grade == "8"
    client.post("/apply/profile/qualifications/complete/")
    learner.refresh_from_db()
    assert learner.qualifications_status == "complete"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("predicted_grade", "", profiles.GRADE_NEEDED),
        ("subject", "a-level", profiles.SUBJECT_NOT_OF_TYPE),
        ("predicted_grade", "a-level", profiles.GRADE_NOT_OF_TYPE),
        ("completed_month", "13", "Enter the completion date as a month and year"),
    ],
)
def test_a_qualification_that_does_not_belong_together_is_refused(learner, field, value, message):
    a_level = QualificationType.objects.get(name="A level")
    if value == "a-level":
        other = a_level.subjects.first() if field == "subject" else a_level.grades.first()
        value = str(other.pk)  # type: ignore[union-attr]
    response = client_of(learner).post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse(), **{field: value}),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not learner.qualifications.exists()


def test_the_nineteenth_qualification_is_refused(learner):
    kind = gcse()
    for name in kind.subjects.values_list("name", flat=True)[:18]:
        Qualification.objects.create(
            learner=learner,
            type=kind,
            subject=subject(kind, name),
            predicted_grade=grade(kind, "5"),
        )
    response = client_of(learner).post(
        f"/apply/profile/qualifications/add/details/?type={kind.pk}", qualification_form(kind)
    )
    assert response.status_code == 400
    assert profiles.TOO_MANY in response.content.decode()
    assert learner.qualifications.count() == 18


def test_when_the_manager_adds_qualifications_the_learner_cannot(learner, manager):
    PortalLearner.objects.filter(pk=learner.pk).update(manager_adds_qualifications="yes")
    learner.refresh_from_db()
    client = client_of(learner)
    page = client.get("/apply/profile/qualifications/").content.decode()
    assert profiles.MANAGER_ADDS in page and "Start adding" not in page
    response = client.post(
        f"/apply/profile/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse()),
        follow=True,
    )
    assert profiles.MANAGER_ADDS in response.content.decode()
    assert not learner.qualifications.exists()
    client.post("/apply/profile/qualifications/complete/")
    learner.refresh_from_db()
    assert learner.qualifications_status != "complete"
    # The manager adds it: verified.
    response = manager.post(
        f"/apply/learners/{learner.code}/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse()),
    )
    assert response.status_code == 302
    (added,) = learner.qualifications.all()
    assert added.verified and added.added_by == manager_user_of(manager)
    # ... and the learner cannot delete it.
    client.post(f"/apply/profile/qualifications/{added.code}/delete/")
    assert learner.qualifications.filter(pk=added.pk).exists()


def manager_user_of(client: Client) -> User:
    return User.objects.get(pk=client.session["_auth_user_id"])


def test_a_learner_cannot_reach_another_learners_qualification(learner, personas):
    other = make_portal_learner(provider=personas.provider)
    theirs = Qualification.objects.create(
        learner=other,
        type=gcse(),
        subject=subject(gcse(), "Mathematics"),
        predicted_grade=grade(gcse(), "4"),
    )
    client = client_of(learner)
    assert client.get(f"/apply/profile/qualifications/{theirs.code}/").status_code == 404
    assert client.post(f"/apply/profile/qualifications/{theirs.code}/delete/").status_code == 404
    assert Qualification.objects.filter(pk=theirs.pk).exists()


def test_a_manager_of_another_provider_gets_404_on_every_profile_page(personas):
    theirs = make_portal_learner(provider=personas.other_provider)
    outsider = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    q = Qualification.objects.create(
        learner=theirs,
        type=gcse(),
        subject=subject(gcse(), "Mathematics"),
        predicted_grade=grade(gcse(), "4"),
    )
    for url in (
        "profile/",
        "qualifications/add/",
        f"qualifications/add/details/?type={gcse().pk}",
        f"qualifications/{q.code}/",
        "reference/",
        "referee/",
    ):
        assert outsider.get(f"/apply/learners/{theirs.code}/{url}").status_code == 404, url
    for url in ("profile/approve/", f"qualifications/{q.code}/delete/", "qualifications/complete/"):
        assert outsider.post(f"/apply/learners/{theirs.code}/{url}").status_code == 404, url
    assert Qualification.objects.filter(pk=q.pk).exists()
    theirs.refresh_from_db()
    assert theirs.approved_at is None and theirs.qualifications_status == "not_started"


# --- approval ------------------------------------------------------------------------------------


def test_approval_emails_the_learner_and_their_own_change_unapproves(learner, manager):
    PortalSettings.objects.create(provider=learner.provider, sign_off_profiles=True)
    page = manager.get(f"/apply/learners/{learner.code}/profile/").content.decode()
    assert "Approve Profile" not in page  # not every section is complete
    complete_profile(learner)
    assert learner in DASHBOARD_BY_SLUG["awaiting-approval"].filter(PortalLearner.objects.all())
    assert (
        "Approve Profile"
        in manager.get(f"/apply/learners/{learner.code}/profile/").content.decode()
    )
    mail.outbox.clear()
    manager.post(f"/apply/learners/{learner.code}/profile/approve/")
    learner.refresh_from_db()
    assert learner.approved_at is not None
    assert [m.to for m in mail.outbox] == [["pat@example.com"]]
    assert "approved" in mail.outbox[0].body and learner.user.last_name not in mail.outbox[0].body
    assert "Your profile is approved" in client_of(learner).get("/apply/home/").content.decode()
    # A manager's change keeps the approval; the learner's own change un-approves (R36).
    manager.post(
        f"/apply/learners/{learner.code}/qualifications/add/details/?type={gcse().pk}",
        qualification_form(gcse(), subject=str(subject(gcse(), "English Language").pk)),
    )
    learner.refresh_from_db()
    assert learner.approved_at is not None
    client_of(learner).post(
        "/apply/profile/statement/", {"personal_statement": STATEMENT + " More.", "save": "1"}
    )
    learner.refresh_from_db()
    assert learner.approved_at is None and learner.statement_status == "in_progress"


def test_the_manager_can_unapprove(learner, manager):
    complete_profile(learner)
    manager.post(f"/apply/learners/{learner.code}/profile/approve/")
    manager.post(f"/apply/learners/{learner.code}/profile/unapprove/")
    learner.refresh_from_db()
    assert learner.approved_at is None


# --- effective settings --------------------------------------------------------------------------


def test_the_learners_own_choice_wins_over_the_provider_default(learner, personas):
    assert not profiles.sign_off_applies(learner)
    PortalSettings.objects.create(provider=personas.provider, sign_off_profiles=True)
    assert profiles.sign_off_applies(learner)
    learner.sign_off_profile = "no"
    assert not profiles.sign_off_applies(learner)
    # The SQL version of the rule agrees with the Python one.
    learner.save()
    annotated = profiles.with_effective_settings(PortalLearner.objects.filter(pk=learner.pk))
    assert annotated.get().signs_off is False


def test_settings_apply_to_a_year_group_or_a_group_at_once(personas, manager):
    year_11 = [make_portal_learner(provider=personas.provider, year_group=11) for _ in range(3)]
    year_12 = make_portal_learner(provider=personas.provider, year_group=12)
    theirs = make_portal_learner(provider=personas.other_provider, year_group=11)
    response = manager.post(
        "/apply/learners/settings/",
        {
            "group": "",
            "year_group": "11",
            "sign_off_profile": "yes",
            "manager_adds_qualifications": "",
        },
    )
    assert response.status_code == 302
    for found in year_11:
        found.refresh_from_db()
        assert found.sign_off_profile == "yes"
    year_12.refresh_from_db()
    theirs.refresh_from_db()
    assert year_12.sign_off_profile == "default" and theirs.sign_off_profile == "default"
    group = LearnerGroup.objects.create(provider=personas.provider, name="Tutor 12B")
    group.learners.add(year_12)
    manager.post(
        "/apply/learners/settings/",
        {
            "group": str(group.code),
            "year_group": "",
            "sign_off_profile": "",
            "manager_adds_qualifications": "yes",
        },
    )
    year_12.refresh_from_db()
    assert year_12.manager_adds_qualifications == "yes"
    assert PortalLearner.objects.filter(manager_adds_qualifications="yes").count() == 1


def test_the_provider_manager_sets_the_defaults_and_the_referee(personas):
    pm = personas.client_for(personas.by_role[Role.PROVIDER_MANAGER])
    url = f"/apply/providers/{personas.provider.code}/settings/"
    response = pm.post(
        url,
        {
            "sign_off_profiles": "yes",
            "manager_adds_qualifications": "no",
            "referee_name": "Miss Jane Smith",
            "referee_position": "Pastoral manager",
            "referee_telephone": "01245789632",
            "referee_email": "",
        },
    )
    assert response.status_code == 302
    saved = PortalSettings.objects.get(provider=personas.provider)
    assert saved.sign_off_profiles and not saved.manager_adds_qualifications
    assert pm.get(f"/apply/providers/{personas.other_provider.code}/settings/").status_code == 404
    lm = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    assert lm.get(url).status_code == 403


# --- references ----------------------------------------------------------------------------------


def _reference(**overrides: str) -> dict[str, str]:
    data = {
        "display_to_learner": "no",
        "attendance": "96",
        **{name: "good" for name in REFERENCE_RATINGS},
        "rating_details": "",
        "support_required": "no",
        "support_details": "",
        "complete": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_reference_is_a_draft_until_completed_with_every_answer(learner, manager):
    url = f"/apply/learners/{learner.code}/reference/"
    assert learner in DASHBOARD_BY_SLUG["awaiting-references"].filter(PortalLearner.objects.all())
    draft = {"display_to_learner": "no", "attendance": "90", "save": "1"}
    assert manager.post(url, draft).status_code == 302
    assert Reference.objects.get(learner=learner).completed_at is None
    response = manager.post(url, {**draft, "complete": "1"})
    assert response.status_code == 400
    assert f"{profiles.RATING_NEEDED} Punctuality" in response.content.decode()
    assert manager.post(url, _reference()).status_code == 302
    assert Reference.objects.get(learner=learner).completed_at is not None
    assert learner not in DASHBOARD_BY_SLUG["awaiting-references"].filter(
        PortalLearner.objects.all()
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating_health": "below_average"}, profiles.RATING_DETAILS_NEEDED),
        ({"rating_behaviour": "poor", "save": "1", "complete": ""}, profiles.RATING_DETAILS_NEEDED),
        ({"support_required": "yes"}, profiles.SUPPORT_DETAILS_NEEDED),
        ({"attendance": "101"}, profiles.ATTENDANCE),
    ],
)
def test_each_reference_rule(learner, manager, overrides, message):
    data = _reference(**overrides)
    if data.get("complete") == "":
        del data["complete"]
    response = manager.post(f"/apply/learners/{learner.code}/reference/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reference.objects.filter(learner=learner, completed_at__isnull=False).exists()


def test_the_provider_referee_heads_the_page_until_a_different_one_is_added(learner, manager):
    PortalSettings.objects.create(
        provider=learner.provider,
        referee_name="Miss Jane Smith",
        referee_position="Pastoral manager",
    )
    url = f"/apply/learners/{learner.code}/reference/"
    page = manager.get(url).content.decode()
    assert "Miss Jane Smith" in page and "This is the default provider referee" in page
    manager.post(
        f"/apply/learners/{learner.code}/referee/",
        {
            "referee_name": "Mr Tom Brown",
            "referee_position": "Tutor",
            "referee_telephone": "",
            "referee_email": "",
        },
    )
    page = manager.get(url).content.decode()
    assert "Mr Tom Brown" in page and "Miss Jane Smith" not in page


# --- learner groups ------------------------------------------------------------------------------


def test_a_manager_assigned_to_a_group_sees_only_its_learners(personas, manager_user, manager):
    in_group = make_portal_learner(provider=personas.provider, username="ingroup01")
    outside = make_portal_learner(provider=personas.provider, username="outside01")
    group = LearnerGroup.objects.create(provider=personas.provider, name="SEN")
    group.learners.add(in_group)
    page = manager.get("/apply/learners/").content.decode()
    assert "ingroup01" in page and "outside01" in page
    group.managers.add(manager_user)
    page = manager.get("/apply/learners/").content.decode()
    assert "ingroup01" in page and "outside01" not in page
    assert manager.get(f"/apply/learners/{outside.code}/profile/").status_code == 404
    counts = {c.slug: n for c, n in dashboard_counts(learners_for(Access(manager_user)))}
    assert counts["all"] == 1
    # A manager in a group may not tick learners in or out (R3).
    assert manager.get(f"/apply/groups/{group.code}/").status_code == 404


def test_a_manager_in_no_group_ticks_learners_in_and_out(personas, manager):
    a = make_portal_learner(provider=personas.provider, last_name="Adams")
    b = make_portal_learner(provider=personas.provider, last_name="Brown")
    group = LearnerGroup.objects.create(provider=personas.provider, name="Gifted")
    group.learners.add(b)
    url = f"/apply/groups/{group.code}/"
    page = manager.get(url).content.decode()
    assert "Adams" in page and "Brown" in page
    manager.post(url, {"shown": [str(a.code), str(b.code)], "member": [str(a.code)]})
    assert set(group.learners.all()) == {a}
    theirs = make_portal_learner(provider=personas.other_provider)
    manager.post(url, {"shown": [str(theirs.code)], "member": [str(theirs.code)]})
    assert set(group.learners.all()) == {a}
    their_group = LearnerGroup.objects.create(provider=personas.other_provider, name="Theirs")
    assert manager.get(f"/apply/groups/{their_group.code}/").status_code == 404


def test_groups_are_created_by_provider_or_user_managers_only(personas):
    url = f"/apply/providers/{personas.provider.code}/groups/"
    lm_user = personas.by_role[Role.LEARNER_MANAGER]
    lm = personas.client_for(lm_user)
    assert lm.post(url, {"name": "Tutor 11A"}).status_code == 404
    pm_user = make_user(username="pm-and-lm")
    for role in (Role.PROVIDER_MANAGER, Role.LEARNER_MANAGER):
        Membership.objects.create(user=pm_user, provider=personas.provider, role=role)
    pm = personas.client_for(pm_user)
    assert pm.post(url, {"name": "Tutor 11A", "year_group": "11"}).status_code == 302
    response = pm.post(url, {"name": "tutor 11a", "year_group": ""})
    assert response.status_code == 400 and "already" in response.content.decode()
    assert LearnerGroup.objects.filter(provider=personas.provider).count() == 1


# --- the list and the dashboard ------------------------------------------------------------------


def test_each_profile_count_equals_the_rows_its_link_opens(personas, manager):
    PortalSettings.objects.create(provider=personas.provider, sign_off_profiles=True)
    done = make_portal_learner(provider=personas.provider, username="complete01")
    PortalLearner.objects.filter(pk=done.pk).update(must_change_password=False)
    done.refresh_from_db()
    complete_profile(done)
    make_portal_learner(provider=personas.provider, username="fresh001")
    waits = make_portal_learner(
        provider=personas.provider, username="waitsq01", manager_adds_qualifications="yes"
    )
    assert waits
    page = manager.get("/apply/").content.decode()
    for slug, expected in (
        ("incomplete-profiles", {"fresh001", "waitsq01"}),
        ("awaiting-approval", {"complete01"}),
        ("awaiting-qualifications", {"waitsq01"}),
        ("awaiting-references", {"complete01", "fresh001", "waitsq01"}),
    ):
        shown = set(
            re.findall(
                r'data-learner="([^"]+)"',
                manager.get(f"/apply/learners/?show={slug}").content.decode(),
            )
        )
        assert shown == expected, slug
        assert f'data-number="{slug}">{len(expected)}<' in page, slug
    listing = manager.get("/apply/learners/?q=complete01").content.decode()
    assert listing.count("Complete</strong>") == 3


def test_a_learner_renaming_themselves_on_the_account_page_unapproves(learner, manager):
    complete_profile(learner)
    manager.post(f"/apply/learners/{learner.code}/profile/approve/")
    client_of(learner).post(
        "/apply/account/",
        {
            "first_name": "Patricia",
            "last_name": learner.user.last_name,
            "email": "pat@example.com",
            "telephone": "",
        },
    )
    learner.refresh_from_db()
    assert learner.user.first_name == "Patricia"
    assert learner.approved_at is None and learner.personal_status == "in_progress"


def test_group_membership_ignores_codes_that_are_not_uuids(personas, manager):
    group = LearnerGroup.objects.create(provider=personas.provider, name="Gifted")
    response = manager.post(f"/apply/groups/{group.code}/", {"shown": ["not-a-uuid"]})
    assert response.status_code == 302 and not group.learners.exists()


def test_an_empty_complete_field_saves_a_draft_not_a_completed_reference(learner, manager):
    data = {**_reference(), "complete": "", "save": "1"}
    assert manager.post(f"/apply/learners/{learner.code}/reference/", data).status_code == 302
    assert Reference.objects.get(learner=learner).completed_at is None
