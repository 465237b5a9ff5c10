"""The portal end to end (issue 14): a learner manager creates a learner, the learner logs in,
is made to choose a password, and leaves "Learners who have not logged on"."""

import re

from playwright.sync_api import expect

from picsweb.models import Role
from tests.browser.conftest import sign_in
from tests.factories import make_provider, make_user


def test_a_manager_creates_a_learner_who_logs_in_and_chooses_a_password(browser, live_server):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(provider=provider, roles=[Role.LEARNER_MANAGER], username="manager1")
    manager = browser.new_context().new_page()
    manager.set_default_timeout(15_000)
    sign_in(manager, live_server.url, "manager1", "a-long-test-password")
    manager.get_by_role("link", name="Learner manager").first.click()
    expect(manager.get_by_role("heading", name="Learner manager")).to_be_visible()
    manager.get_by_role("link", name="Learners", exact=True).first.click()
    manager.get_by_role("link", name="Create learner").click()

    manager.get_by_role("button", name="Save").click()  # nothing filled in: the seed's messages
    expect(manager.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(manager.locator(".govuk-error-summary")).to_contain_text(
        "must be between 6 and 127 characters"
    )

    manager.get_by_label("Username").fill("RLearner1")
    manager.get_by_label("Password").fill("RLK258E1")
    manager.get_by_label("First name").fill("Bob")
    manager.get_by_label("Last name").fill("Learner")
    manager.get_by_label("Day").fill("1")
    manager.get_by_label("Month").fill("1")
    manager.get_by_label("Year", exact=True).fill("2010")
    manager.get_by_label("Learner year group").select_option(label="Year 11")
    manager.get_by_role("button", name="Save").click()
    expect(manager.get_by_text("Learner Bob Learner created.")).to_be_visible()

    manager.get_by_role("link", name="Learners who have not logged on").click()
    expect(manager.locator("[data-not-logged-on]")).to_contain_text("RLK258E1")

    learner = browser.new_context().new_page()
    learner.set_default_timeout(15_000)
    sign_in(learner, live_server.url, "rlearner1", "RLK258E1")
    expect(learner.get_by_role("heading", name="Choose your password")).to_be_visible()
    learner.goto(f"{live_server.url}/apply/account/")  # nothing else until it is chosen
    expect(learner.get_by_role("heading", name="Choose your password")).to_be_visible()
    learner.get_by_label("New password", exact=True).fill("my-own-pw1")
    learner.get_by_label("Confirm new password").fill("my-own-pw1")
    learner.get_by_role("button", name="Save password").click()
    expect(learner.get_by_role("heading", name="Welcome, Bob")).to_be_visible()

    manager.reload()
    expect(manager.get_by_text("0 learners")).to_be_visible()
    expect(manager.get_by_text("RLK258E1")).to_have_count(0)


def test_a_learner_completes_a_profile_and_a_manager_writes_the_reference_and_approves(
    browser, live_server, qualification_data
):
    from django.contrib.auth.models import User
    from django.core import mail

    from progress_apply.models import PortalLearner, PortalSettings
    from tests.progress_apply.helpers import make_portal_learner

    provider = make_provider(name="Northgate Training", ukprn="10012345")
    PortalSettings.objects.create(provider=provider, sign_off_profiles=True)
    make_user(provider=provider, roles=[Role.LEARNER_MANAGER], username="manager1")
    pat = make_portal_learner(
        provider=provider, username="patlearner", first_name="Pat", email="pat@example.com"
    )
    # As after their first log-in: their own password, the issued one erased.
    PortalLearner.objects.filter(pk=pat.pk).update(must_change_password=False, issued_password="")
    user = User.objects.get(pk=pat.user_id)
    user.set_password("my-own-pw1")
    user.save()

    learner = browser.new_context().new_page()
    learner.set_default_timeout(15_000)
    sign_in(learner, live_server.url, "patlearner", "my-own-pw1")
    expect(learner.get_by_role("button", name="Sign out")).to_be_visible()
    learner.goto(f"{live_server.url}/apply/home/")
    learner.get_by_role("link", name="Personal details").last.click()
    learner.get_by_label("Town").fill("Leeds")
    learner.get_by_role("button", name="Save and mark as complete").click()
    expect(learner.get_by_text("Personal details complete.")).to_be_visible()

    learner.get_by_role("link", name="Qualifications").last.click()
    learner.get_by_role("link", name="Start adding your qualifications").click()
    learner.get_by_label("Qualification type").select_option(label="GCSE (9-1)")
    learner.get_by_role("button", name="Next").click()
    learner.get_by_label("Subject").select_option(label="Mathematics")
    learner.get_by_label("Month").fill("6")
    learner.get_by_label("Year").fill("2026")
    learner.get_by_role("button", name="Save", exact=True).click()  # no grade: refused
    expect(learner.locator(".govuk-error-summary")).to_contain_text("predicted grade")
    learner.get_by_label("Predicted grade").select_option(label="7")
    learner.get_by_role("button", name="Save", exact=True).click()
    expect(learner.locator("[data-qualifications]")).to_contain_text("Mathematics")
    learner.get_by_role("button", name="I have added all of my qualifications").click()

    learner.get_by_role("link", name="Personal statement").last.click()
    learner.get_by_label("Your personal statement").fill("I like building things.\nAnd maths.")
    # The GOV.UK character count: a new line is one character, as the server counts it.
    expect(learner.get_by_text(re.compile(r"You have 3,?966 characters remaining"))).to_be_visible()
    learner.get_by_role("button", name="Save and mark as complete").click()
    expect(learner.get_by_text("Personal statement complete.")).to_be_visible()
    expect(learner.get_by_text("waiting for your learner manager to approve it")).to_be_visible()

    manager = browser.new_context().new_page()
    manager.set_default_timeout(15_000)
    sign_in(manager, live_server.url, "manager1", "a-long-test-password")
    expect(manager.get_by_role("button", name="Sign out")).to_be_visible()
    manager.goto(f"{live_server.url}/apply/")
    manager.get_by_role("link", name="Awaiting profile approval").click()
    manager.get_by_role("link", name="View profile").click()
    manager.get_by_role("link", name="Reference").click()
    manager.get_by_role("link", name="Write the reference").click()
    display = manager.locator("fieldset", has_text="Display to learner")
    expect(display.get_by_label("No", exact=True)).to_be_checked()  # the seed's default
    manager.get_by_label("Attendance %").fill("97")
    for fieldset in manager.locator("fieldset").all():
        option = fieldset.get_by_label("Good", exact=True)
        if option.count():
            option.check()
    manager.locator("fieldset", has_text="Additional support required").get_by_label(
        "No", exact=True
    ).check()
    manager.get_by_role("button", name="Complete reference details").click()
    expect(manager.get_by_text("Reference complete.")).to_be_visible()

    mail.outbox.clear()
    manager.get_by_role("button", name="Approve Profile").click()
    expect(manager.locator("[data-approval]")).to_contain_text("Approved")
    learner.reload()
    expect(learner.get_by_text("Your profile is approved.")).to_be_visible()


def test_a_learner_finds_a_course_near_a_postcode_applies_and_accepts_the_offer(
    browser, live_server, qualification_data
):
    from datetime import date

    from django.contrib.auth.models import User

    from progress_apply.models import Course, PortalLearner, SectionStatus
    from tests.progress_apply.helpers import make_portal_learner

    school = make_provider(name="Northgate Training", ukprn="10012345")
    college = make_provider(name="Riverside College", ukprn="10034567")
    make_user(provider=college, roles=[Role.ADMISSIONS], username="admissions1")
    for title, postcode in (
        ("Motor Vehicle Level 2", "LS6 2AB"),
        ("Motor Vehicle (far)", "TR1 1AA"),
    ):
        Course.objects.create(
            provider=college,
            title=title,
            start_date=date(2027, 9, 1),
            duration_months=12,
            venue_postcode=postcode,
        )
    pat = make_portal_learner(provider=school, username="patlearner", first_name="Pat")
    done = SectionStatus.COMPLETE
    PortalLearner.objects.filter(pk=pat.pk).update(
        must_change_password=False,
        issued_password="",
        personal_status=done,
        statement_status=done,
        qualifications_status=done,
        personal_statement="I fix bikes.",
    )
    user = User.objects.get(pk=pat.user_id)
    user.set_password("my-own-pw1")
    user.save()

    learner = browser.new_context().new_page()
    learner.set_default_timeout(15_000)
    sign_in(learner, live_server.url, "patlearner", "my-own-pw1")
    expect(learner.get_by_role("button", name="Sign out")).to_be_visible()
    learner.goto(f"{live_server.url}/apply/courses/")
    learner.get_by_label("Keyword").fill("motor")
    learner.get_by_label("Location").fill("LS6 3QS")
    learner.get_by_label("Distance you are willing to travel").select_option(label="10 miles")
    learner.get_by_role("button", name="Search").click()
    expect(learner.locator("[data-result-count]")).to_contain_text("1 course within 10 miles")
    learner.get_by_role("link", name="Motor Vehicle Level 2").click()
    learner.get_by_role("button", name="Save to favourites").click()
    learner.get_by_role("link", name="Home").first.click()
    expect(learner.get_by_role("link", name="Motor Vehicle Level 2")).to_be_visible()
    learner.get_by_role("link", name="Motor Vehicle Level 2").click()
    learner.get_by_role("link", name="Apply for this course").click()
    learner.get_by_label("Why you are applying for this course (optional)").fill("I love engines.")
    learner.get_by_role("button", name="Confirm and apply").click()
    expect(learner.get_by_text("has been sent")).to_be_visible()

    staff = browser.new_context().new_page()
    staff.set_default_timeout(15_000)
    sign_in(staff, live_server.url, "admissions1", "a-long-test-password")
    expect(staff.get_by_role("button", name="Sign out")).to_be_visible()
    staff.get_by_role("link", name="Admissions").first.click()
    staff.get_by_role("link", name="Pat").click()
    expect(staff.get_by_text("I love engines.")).to_be_visible()
    staff.get_by_label("Make a conditional offer").check()
    staff.get_by_role("button", name="Save decision").click()
    expect(staff.locator(".govuk-error-summary")).to_contain_text("Enter the conditions")
    staff.get_by_label("Make a conditional offer").check()
    staff.get_by_label("Conditions of the offer").fill("Grade 4 in GCSE maths")
    staff.get_by_role("button", name="Save decision").click()
    expect(staff.get_by_text("Your decision is saved")).to_be_visible()

    learner.reload()
    expect(learner.get_by_text("Grade 4 in GCSE maths")).to_be_visible()
    learner.get_by_label("Yes, accept the offer").check()
    learner.get_by_role("button", name="Send my answer").click()
    expect(learner.get_by_text("You have accepted the offer.").first).to_be_visible()
    staff.reload()
    staff.get_by_role("button", name="Confirm enrolment").click()
    expect(staff.get_by_text("The enrolment is confirmed.")).to_be_visible()


def test_a_learner_with_no_postcode_searches_anywhere_and_is_asked_for_a_place(
    browser, live_server, qualification_data
):
    from datetime import date

    from django.contrib.auth.models import User

    from progress_apply.models import Course, PortalLearner
    from tests.progress_apply.helpers import make_portal_learner

    college = make_provider(name="Riverside College", ukprn="10034567")
    Course.objects.create(
        provider=college,
        title="Motor Vehicle Level 2",
        start_date=date(2027, 9, 1),
        duration_months=12,
        venue_postcode="LS6 2AB",
    )
    sam = make_portal_learner(provider=college, username="samlearner", postcode="")
    PortalLearner.objects.filter(pk=sam.pk).update(must_change_password=False, issued_password="")
    user = User.objects.get(pk=sam.user_id)
    user.set_password("my-own-pw1")
    user.save()

    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "samlearner", "my-own-pw1")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"{live_server.url}/apply/courses/?q=motor&location=&distance=any")
    expect(page.locator("[data-result-count]")).to_contain_text("1 course anywhere")
    page.goto(f"{live_server.url}/apply/courses/?q=motor&location=&distance=10")
    expect(page.get_by_text("Enter a place to search within 10 miles of")).to_be_visible()


def test_a_form_sent_without_its_cookie_gets_the_sites_csrf_page(browser, live_server):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your form could not be sent")).to_be_visible()
