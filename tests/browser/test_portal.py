"""The portal end to end (issue 14): a learner manager creates a learner, the learner logs in,
is made to choose a password, and leaves "Learners who have not logged on"."""

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
