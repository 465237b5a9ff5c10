"""Applications and offers (issue 16): the gates, each state change and who may make it,
auto-submission when a gate clears, what the receiving provider sees, the reference attached,
emails, the staff learner record, and the dashboard's application counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from learners.models import Learner
from picsweb.access import Access
from picsweb.models import Membership, Role
from progress_apply import applications
from progress_apply.models import (
    REFERENCE_RATINGS,
    Application,
    Course,
    PortalLearner,
    PortalSettings,
    ProviderDefault,
    SectionStatus,
)
from progress_apply.rules import RuleError
from progress_apply.services import DASHBOARD_BY_SLUG, dashboard_counts, learners_for
from tests.factories import make_user
from tests.progress_apply.helpers import form_data, make_portal_learner

# Emails go once the change is committed: each test commits, as the site does.
pytestmark = pytest.mark.django_db(transaction=True)

COMPLETE = SectionStatus.COMPLETE
Status = Application.Status


@pytest.fixture(autouse=True)
def _reference_data(qualification_data) -> None:
    pass


def ready_learner(provider, **fields) -> PortalLearner:
    """A learner whose own sections are complete (sign-off and manager-adds as `fields`)."""
    learner = make_portal_learner(
        provider=provider, email="pat@example.com", first_name="Pat", last_name="Quayle"
    )
    values = {
        "must_change_password": False,
        "personal_status": COMPLETE,
        "statement_status": COMPLETE,
        "qualifications_status": COMPLETE,
        "personal_statement": "I like building things.",
        "uln": "2000000028",
        "postcode": "LS6 2AB",
        "gender": "female",
        "ethnicity": "irish",
    }
    PortalLearner.objects.filter(pk=learner.pk).update(**(values | fields))
    learner.refresh_from_db()
    return learner


def make_course(provider, kind: str = Course.Kind.COURSE, **fields) -> Course:
    values = {
        "title": "Engineering Level 3",
        "start_date": date(2027, 9, 1),
        "duration_months": 24,
        "venue_postcode": "M1 1AE",
        "kind": kind,
    } | fields
    return Course.objects.create(provider=provider, **values)


def client_of(learner: PortalLearner) -> Client:
    client = Client()
    client.force_login(learner.user)
    return client


@pytest.fixture
def receiving(personas):
    """The receiving provider (the other one), its admissions officer and a course there."""
    provider = personas.other_provider
    officer = make_user(
        provider=provider, roles=[Role.ADMISSIONS], username="admit", email="admit@college.example"
    )
    client = Client()
    client.force_login(officer)
    return provider, officer, client, make_course(provider)


def apply_for(learner: PortalLearner, course: Course, statement: str = "") -> Application:
    response = client_of(learner).post(
        f"/apply/courses/{course.code}/apply/", {"statement": statement}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(learner=learner, course=course, status__in=applications.LIVE)


# --- applying and the gates --------------------------------------------------------------------


def test_with_no_gate_an_application_is_submitted_at_once_and_both_sides_are_emailed(
    personas, receiving
):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course, "I have built a go-kart.")
    assert application.status == Status.SUBMITTED and application.submitted_at
    page = client_of(learner).get(f"/apply/applications/{application.code}/").content.decode()
    assert "Submitted" in page and "I have built a go-kart." in page
    to_learner = [m for m in mail.outbox if m.to == ["pat@example.com"]]
    to_provider = [m for m in mail.outbox if "admit@college.example" in m.to]
    assert len(to_learner) == 1 and "sent to the provider" in to_learner[0].body
    assert "Quayle" not in to_learner[0].body  # the first name only
    assert len(to_provider) == 1 and "Quayle" not in to_provider[0].body
    assert str(application.code) in to_provider[0].body
    listed = admissions.get("/apply/admissions/").content.decode()
    assert "Pat Quayle" in listed and course.title in listed


def test_the_apply_page_lists_the_sections_to_complete_and_refuses_until_they_are(
    personas, receiving
):
    course = receiving[3]
    learner = ready_learner(personas.provider, statement_status=SectionStatus.IN_PROGRESS)
    client = client_of(learner)
    page = client.get(f"/apply/courses/{course.code}/apply/").content.decode()
    assert "Complete your profile first" in page and 'href="/apply/profile/statement/"' in page
    assert "Confirm and apply" not in page
    response = client.post(f"/apply/courses/{course.code}/apply/", {"statement": ""})
    assert response.status_code == 400
    assert applications.SECTIONS_TO_DO in response.content.decode()
    assert not Application.objects.exists()


def test_sign_off_holds_it_pending_with_the_reason_and_approval_submits_it(personas, receiving):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider, sign_off_profile=ProviderDefault.YES)
    second = make_course(receiving[0], title="Plumbing")
    page = client_of(learner).get(f"/apply/courses/{course.code}/apply/").content.decode()
    assert applications.WAITING_APPROVAL in page
    first = apply_for(learner, course)
    other = apply_for(learner, second)
    assert first.status == other.status == Status.PENDING
    page = client_of(learner).get(f"/apply/applications/{first.code}/").content.decode()
    assert "Pending" in page and applications.WAITING_APPROVAL in page
    # The provider does not see a pending application.
    assert "Pat Quayle" not in admissions.get("/apply/admissions/").content.decode()
    assert admissions.get(f"/apply/admissions/{first.code}/").status_code == 404
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    mail.outbox.clear()
    assert manager.post(f"/apply/learners/{learner.code}/profile/approve/").status_code == 302
    statuses = set(Application.objects.filter(learner=learner).values_list("status", flat=True))
    assert statuses == {Status.SUBMITTED}  # every pending application at once (R34)
    assert admissions.get(f"/apply/admissions/{first.code}/").status_code == 200
    assert sum("admit@college.example" in m.to for m in mail.outbox) == 2


def test_manager_added_qualifications_hold_it_until_the_manager_completes_them(personas, receiving):
    course = receiving[3]
    learner = ready_learner(
        personas.provider,
        manager_adds_qualifications=ProviderDefault.YES,
        qualifications_status=SectionStatus.NOT_STARTED,
    )
    # The qualifications section is the manager's: not one the learner must complete first.
    assert applications.sections_to_complete(learner) == []
    application = apply_for(learner, course)
    assert application.status == Status.PENDING
    assert applications.gates(learner) == [applications.WAITING_QUALIFICATIONS]
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    manager.post(f"/apply/learners/{learner.code}/qualifications/complete/")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_turning_the_provider_default_off_submits_what_waited_for_it(personas, receiving):
    course = receiving[3]
    PortalSettings.objects.create(provider=personas.provider, sign_off_profiles=True)
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course)
    assert application.status == Status.PENDING
    pm = personas.client_for(personas.by_role[Role.PROVIDER_MANAGER])
    response = pm.post(
        f"/apply/providers/{personas.provider.code}/settings/",
        {"sign_off_profiles": "no", "manager_adds_qualifications": "no"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_closed_course_or_a_second_application_for_it_is_refused(personas, receiving):
    course = receiving[3]
    learner = ready_learner(personas.provider)
    apply_for(learner, course)
    response = client_of(learner).post(f"/apply/courses/{course.code}/apply/", {"statement": ""})
    assert response.status_code == 400
    assert applications.ALREADY in response.content.decode()
    closed = make_course(receiving[0], title="Closed", is_open=False)
    response = client_of(learner).post(f"/apply/courses/{closed.code}/apply/", {"statement": ""})
    assert applications.CLOSED in response.content.decode()
    assert Application.objects.filter(learner=learner).count() == 1


def test_the_course_statement_counts_a_line_break_once_and_has_a_limit(personas, receiving):
    course = receiving[3]
    learner = ready_learner(personas.provider)
    just = ("a" * 999 + "\r\n") * 2  # 2,000 characters as the learner sees them
    application = apply_for(learner, course, just)
    assert len(application.statement) == 1999  # trailing line break trimmed
    other = make_course(receiving[0], title="Too long")
    response = client_of(learner).post(
        f"/apply/courses/{other.code}/apply/", {"statement": "a" * 2001}
    )
    assert response.status_code == 400 and "2,000 characters or fewer" in response.content.decode()


# --- withdrawing, deciding, answering, enrolling -------------------------------------------


def test_the_learner_withdraws_before_a_decision_but_not_after(personas, receiving):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider)
    client = client_of(learner)
    application = apply_for(learner, course)
    confirm = client.get(f"/apply/applications/{application.code}/withdraw/").content.decode()
    assert "Withdraw your application" in confirm
    client.post(f"/apply/applications/{application.code}/withdraw/")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert any("withdrawn by the learner" in m.body for m in mail.outbox)
    # Withdrawn: they may apply again; this time the provider offers, and withdrawing is over.
    again = apply_for(learner, course)
    admissions.post(f"/apply/admissions/{again.code}/", {"decision": "unconditional"})
    page = client.get(f"/apply/applications/{again.code}/").content.decode()
    assert "Withdraw this application" not in page
    client.post(f"/apply/applications/{again.code}/withdraw/")
    again.refresh_from_db()
    assert again.status == Status.OFFERED


def test_a_conditional_offer_needs_its_conditions_and_each_decision_is_made_once(
    personas, receiving
):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course)
    url = f"/apply/admissions/{application.code}/"
    response = admissions.post(url, {"decision": "conditional", "conditions": " "})
    assert response.status_code == 400
    assert applications.CONDITIONS_NEEDED in response.content.decode()
    response = admissions.post(url, {"decision": "conditional", "conditions": "Grade 5 in maths"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.offer_kind, application.conditions) == (
        Status.OFFERED,
        "conditional",
        "Grade 5 in maths",
    )
    offer_mail = [m for m in mail.outbox if m.to == ["pat@example.com"]][-1]
    assert "offered you a place" in offer_mail.body
    home = client_of(learner).get("/apply/home/").content.decode()
    assert "You have 1 offer to answer." in home and course.title in home
    # A second decision on a decided application changes nothing and says why.
    response = admissions.post(url, {"decision": "unsuccessful"})
    assert response.status_code == 400
    assert "is “offer made” now, so it cannot be decided again" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.OFFERED


def test_unsuccessful_ends_it(personas, receiving):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course)
    admissions.post(f"/apply/admissions/{application.code}/", {"decision": "unsuccessful"})
    application.refresh_from_db()
    assert application.status == Status.UNSUCCESSFUL
    page = client_of(learner).get(f"/apply/applications/{application.code}/").content.decode()
    assert "Unsuccessful" in page and "Send my answer" not in page
    # Ended: the provider no longer sees the learner's personal data.
    seen = admissions.get(f"/apply/admissions/{application.code}/").content.decode()
    assert "profile is no longer shown" in seen and "I like building things." not in seen


def test_accept_then_enrol_then_one_learner_record_for_an_apprenticeship(personas, receiving):
    provider, _, admissions, _ = receiving
    course = make_course(provider, kind=Course.Kind.APPRENTICESHIP, title="Engineering apprentice")
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course)
    admissions.post(f"/apply/admissions/{application.code}/", {"decision": "unconditional"})
    client = client_of(learner)
    response = client.post(f"/apply/applications/{application.code}/", {})
    assert response.status_code == 400 and "Select whether you accept" in response.content.decode()
    client.post(f"/apply/applications/{application.code}/", {"answer": "accept"})
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert any("offer has been accepted" in m.body for m in mail.outbox)
    # Only an enrolled apprenticeship makes a record.
    admissions.post(f"/apply/admissions/{application.code}/learner-record/")
    assert not Learner.objects.exists()
    admissions.post(f"/apply/admissions/{application.code}/enrol/")
    application.refresh_from_db()
    assert application.status == Status.ENROLLED
    page = admissions.get(f"/apply/admissions/{application.code}/").content.decode()
    assert "Create learner record" in page
    admissions.post(f"/apply/admissions/{application.code}/learner-record/")
    admissions.post(f"/apply/admissions/{application.code}/learner-record/")  # a double click
    record = Learner.objects.get()
    assert (record.provider, record.given_names, record.family_name) == (provider, "Pat", "Quayle")
    assert (record.date_of_birth, record.uln, record.postcode) == (
        learner.date_of_birth,
        "2000000028",
        "LS6 2AB",
    )
    assert (record.sex, record.ethnicity) == ("F", 32)
    record.full_clean()  # a valid staff record (the LRN made from the application)
    application.refresh_from_db()
    assert application.staff_learner == record


def test_a_declined_offer_cannot_be_enrolled_and_a_course_makes_no_learner_record(
    personas, receiving
):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course)
    admissions.post(f"/apply/admissions/{application.code}/", {"decision": "unconditional"})
    client_of(learner).post(f"/apply/applications/{application.code}/", {"answer": "decline"})
    admissions.post(f"/apply/admissions/{application.code}/enrol/")
    application.refresh_from_db()
    assert application.status == Status.DECLINED
    with pytest.raises(RuleError):
        applications.staff_learner_create(application=application, by=receiving[1])


# --- who sees what -------------------------------------------------------------------------------


def test_providers_see_only_applications_made_to_them_and_learners_only_their_own(
    personas, receiving
):
    _, _, admissions, course = receiving
    ours = make_course(personas.provider, title="Our own course")
    learner = ready_learner(personas.provider)
    to_them = apply_for(learner, course)
    to_us = apply_for(learner, ours)
    assert admissions.get(f"/apply/admissions/{to_us.code}/").status_code == 404
    assert admissions.post(f"/apply/admissions/{to_us.code}/enrol/").status_code == 404
    listed = admissions.get("/apply/admissions/").content.decode()
    assert "Engineering Level 3" in listed and "Our own course" not in listed
    # Our admissions officer sees ours, not theirs.
    ours_officer = make_user(provider=personas.provider, roles=[Role.ADMISSIONS])
    assert personas.client_for(ours_officer).get(
        f"/apply/admissions/{to_them.code}/"
    ).status_code == (404)
    # Another learner, and staff without the role, reach nothing.
    stranger = client_of(ready_learner(personas.provider))
    assert stranger.get(f"/apply/applications/{to_them.code}/").status_code == 404
    assert stranger.post(f"/apply/applications/{to_them.code}/withdraw/").status_code == 404
    lm = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    assert lm.get("/apply/admissions/").status_code == 403


def test_a_completed_reference_is_attached_as_it_was(personas, receiving):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider)
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    early = apply_for(learner, course)
    assert early.reference is None
    reference = {
        "display_to_learner": "no",
        "attendance": "96",
        **{name: "good" for name in REFERENCE_RATINGS},
        "rating_details": "",
        "support_required": "no",
        "support_details": "",
        "complete": "1",
    }
    url = f"/apply/learners/{learner.code}/reference/"
    assert manager.post(url, reference).status_code == 302
    early.refresh_from_db()
    assert early.reference is not None
    assert early.reference["attendance"] == 96  # a first completion reaches it (R40)
    page = admissions.get(f"/apply/admissions/{early.code}/").content.decode()
    assert "96%" in page and "Relationship with staff" in page
    # A later change reaches new applications only.
    assert manager.post(url, {**reference, "attendance": "80"}).status_code == 302
    later = apply_for(learner, make_course(receiving[0], title="Later"))
    early.refresh_from_db()
    assert early.reference is not None and later.reference is not None
    assert (early.reference["attendance"], later.reference["attendance"]) == (96, 80)


# --- the dashboard and deleting -----------------------------------------------------------------


def test_the_dashboard_application_counts_equal_their_lists(personas, receiving):
    _, _, admissions, course = receiving
    lm_user = personas.by_role[Role.LEARNER_MANAGER]
    lm = personas.client_for(lm_user)
    none_yet = ready_learner(personas.provider)
    pending = ready_learner(personas.provider, sign_off_profile=ProviderDefault.YES)
    sent = ready_learner(personas.provider)
    offered = ready_learner(personas.provider)
    withdrawn = ready_learner(personas.provider)
    apply_for(pending, course)
    apply_for(sent, course)
    offer = apply_for(offered, course)
    admissions.post(f"/apply/admissions/{offer.code}/", {"decision": "unconditional"})
    gone = apply_for(withdrawn, course)
    client_of(withdrawn).post(f"/apply/applications/{gone.code}/withdraw/")
    counts = {c.slug: n for c, n in dashboard_counts(learners_for(Access(lm_user)))}
    expected = {
        "with-applications": {pending, sent, offered},
        "no-applications": {none_yet, withdrawn},
        # Reached a provider and no offer: the one still waiting for a decision, and the one
        # who withdrew after it was submitted.
        "no-offers": {sent, withdrawn},
    }
    for slug, learners in expected.items():
        assert counts[slug] == len(learners), slug
        listed = set(DASHBOARD_BY_SLUG[slug].filter(learners_for(Access(lm_user))))
        assert listed == learners, slug
        page = lm.get(f"/apply/learners/?show={slug}").content.decode()
        assert all(learner.user.username in page for learner in learners), slug
    assert none_yet.user.username not in lm.get("/apply/learners/?show=no-offers").content.decode()


def test_a_learner_with_a_submitted_application_is_deactivated_not_deleted(personas, receiving):
    course = receiving[3]
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course)
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    manager.post(f"/apply/learners/{learner.code}/delete/")
    learner.user.refresh_from_db()
    assert not learner.user.is_active
    assert Application.objects.filter(pk=application.pk).exists()


def test_admissions_staff_are_told_and_others_are_not(personas, receiving):
    provider, _, _, course = receiving
    make_user(provider=provider, roles=[Role.LEARNER_MANAGER], email="lm@college.example")
    Membership.objects.create(
        user=make_user(email="boss@college.example"), provider=provider, role=Role.PROVIDER_ADMIN
    )
    apply_for(ready_learner(personas.provider), course)
    told = {address for m in mail.outbox for address in m.to}
    assert {"admit@college.example", "boss@college.example"} <= told
    assert "lm@college.example" not in told


# --- the provider's course page -----------------------------------------------------------------


def test_admissions_staff_add_and_edit_their_own_courses(personas, receiving):
    provider, _, admissions, theirs = receiving
    data = {
        "provider": str(provider.pk),
        "title": "Bricklaying",
        "kind": "apprenticeship",
        "qualification_type": "",
        "level": "2",
        "subject": "Construction",
        "study_mode": "full_time",
        "start_date_0": "6",
        "start_date_1": "9",
        "start_date_2": "2027",
        "duration_months": "18",
        "venue_postcode": "sw1z 1aa",
        "description": "",
        "entry_requirements": "",
        "is_open": "on",
    }
    response = admissions.post("/apply/admissions/courses/new/", data)
    assert response.status_code == 400
    assert "We do not know where this postcode district is" in response.content.decode()
    response = admissions.post(
        "/apply/admissions/courses/new/", {**data, "venue_postcode": "m1 1ae"}
    )
    assert response.status_code == 302
    made = Course.objects.get(title="Bricklaying")
    assert (made.venue_postcode, made.latitude is not None) == ("M1 1AE", True)
    assert "Bricklaying" in admissions.get("/apply/admissions/courses/").content.decode()
    # Their own provider only: another provider is not a choice, nor its courses.
    ours = make_course(personas.provider, title="Ours")
    assert admissions.get(f"/apply/admissions/courses/{ours.code}/").status_code == 404
    response = admissions.post(
        "/apply/admissions/courses/new/", {**data, "provider": str(personas.provider.pk)}
    )
    assert (
        response.status_code == 400
        and not Course.objects.filter(provider=personas.provider, title="Bricklaying").exists()
    )
    edit = admissions.post(
        f"/apply/admissions/courses/{theirs.code}/",
        {**data, "title": theirs.title, "venue_postcode": "M1 1AE", "is_open": ""},
    )
    assert edit.status_code == 302
    theirs.refresh_from_db()
    assert not theirs.is_open
    lm = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    assert lm.get("/apply/admissions/courses/").status_code == 403


# --- the outsider's findings ----------------------------------------------------------------


def test_a_pending_application_withdrawn_is_never_seen_by_the_provider(personas, receiving):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider, sign_off_profile=ProviderDefault.YES)
    application = apply_for(learner, course)
    mail.outbox.clear()
    client_of(learner).post(f"/apply/applications/{application.code}/withdraw/")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert admissions.get(f"/apply/admissions/{application.code}/").status_code == 404
    listed = admissions.get("/apply/admissions/?status=withdrawn").content.decode()
    assert "Pat Quayle" not in listed
    assert not any("admit@college.example" in m.to for m in mail.outbox)


def test_a_deactivated_learner_s_pending_applications_are_withdrawn_not_sent_later(
    personas, receiving
):
    _, _, _, course = receiving
    learner = ready_learner(personas.provider, sign_off_profile=ProviderDefault.YES)
    sent = apply_for(learner, make_course(receiving[0], title="Sent one"))
    PortalLearner.objects.filter(pk=learner.pk).update(sign_off_profile=ProviderDefault.NO)
    learner.refresh_from_db()
    applications.applications_submit_cleared(learners=PortalLearner.objects.filter(pk=learner.pk))
    PortalLearner.objects.filter(pk=learner.pk).update(sign_off_profile=ProviderDefault.YES)
    waiting = apply_for(learner, course)
    assert waiting.status == Status.PENDING
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    manager.post(f"/apply/learners/{learner.code}/delete/")
    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert (waiting.status, sent.status) == (Status.WITHDRAWN, Status.SUBMITTED)
    PortalSettings.objects.create(provider=personas.provider, sign_off_profiles=False)
    applications.applications_submit_cleared(learners=PortalLearner.objects.all())
    waiting.refresh_from_db()
    assert waiting.status == Status.WITHDRAWN


def test_the_learners_own_setting_changed_on_the_edit_page_submits_what_waited(personas, receiving):
    learner = ready_learner(personas.provider, sign_off_profile=ProviderDefault.YES)
    application = apply_for(learner, receiving[3])
    manager = personas.client_for(personas.by_role[Role.LEARNER_MANAGER])
    data = form_data(
        personas.provider,
        first_name="Pat",
        last_name="Quayle",
        email="pat@example.com",
        sign_off_profile="no",
        uln="2000000028",
        postcode="LS6 2AB",
        gender="female",
        ethnicity="irish",
    )
    for name in ("username", "password"):
        data.pop(name)
    assert manager.post(f"/apply/learners/{learner.code}/", data).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_turning_manager_adds_off_leaves_it_waiting_for_the_learner_s_own_section(
    personas, receiving
):
    learner = ready_learner(
        personas.provider,
        manager_adds_qualifications=ProviderDefault.YES,
        qualifications_status=SectionStatus.NOT_STARTED,
    )
    application = apply_for(learner, receiving[3])
    PortalLearner.objects.filter(pk=learner.pk).update(manager_adds_qualifications="no")
    applications.applications_submit_cleared(learners=PortalLearner.objects.filter(pk=learner.pk))
    application.refresh_from_db()
    assert application.status == Status.PENDING
    page = client_of(learner).get(f"/apply/applications/{application.code}/").content.decode()
    assert "you complete your profile again: Qualifications" in page
    # The learner completes it: sent.
    client_of(learner).post("/apply/profile/qualifications/complete/")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_name_too_long_for_a_learner_record_gets_a_message_not_an_error(personas, receiving):
    provider, _, admissions, _ = receiving
    course = make_course(provider, kind=Course.Kind.APPRENTICESHIP, title="Long name")
    learner = ready_learner(personas.provider)
    User = type(learner.user)
    User.objects.filter(pk=learner.user_id).update(first_name="A" * 120)
    application = apply_for(learner, course)
    admissions.post(f"/apply/admissions/{application.code}/", {"decision": "unconditional"})
    client_of(learner).post(f"/apply/applications/{application.code}/", {"answer": "accept"})
    admissions.post(f"/apply/admissions/{application.code}/enrol/")
    response = admissions.post(f"/apply/admissions/{application.code}/learner-record/", follow=True)
    assert response.status_code == 200
    assert "longer than a learner record holds (100 characters)" in response.content.decode()
    assert not Learner.objects.exists()


def test_withdrawing_is_not_offered_after_an_offer_and_says_why(personas, receiving):
    _, _, admissions, course = receiving
    learner = ready_learner(personas.provider)
    application = apply_for(learner, course)
    admissions.post(f"/apply/admissions/{application.code}/", {"decision": "unconditional"})
    response = client_of(learner).get(
        f"/apply/applications/{application.code}/withdraw/", follow=True
    )
    page = response.content.decode()
    assert "is “offer made” now, so it cannot be withdrawn" in page
    assert "Withdraw application" not in page


def test_hidden_characters_and_text_direction_overrides_are_refused(personas, receiving):
    learner = ready_learner(personas.provider)
    for text in ("Hi\x07there", "abc\u202edcba"):
        response = client_of(learner).post(
            f"/apply/courses/{receiving[3].code}/apply/", {"statement": text}
        )
        assert response.status_code == 400
        assert "hidden control characters" in response.content.decode()
    assert not Application.objects.exists()


def test_a_learner_opening_the_portal_s_address_lands_on_their_home(personas):
    learner = ready_learner(personas.provider)
    response = client_of(learner).get("/apply/")
    assert response.status_code == 302 and response["Location"] == "/apply/home/"


def test_over_long_conditions_get_one_message_with_the_count(personas, receiving):
    _, _, admissions, course = receiving
    application = apply_for(ready_learner(personas.provider), course)
    response = admissions.post(
        f"/apply/admissions/{application.code}/",
        {"decision": "conditional", "conditions": "x" * 10_000},
    )
    page = response.content.decode()
    assert "must be 2,000 characters or fewer (there are 10,000)" in page
    assert applications.CONDITIONS_NEEDED not in page
