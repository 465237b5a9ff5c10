"""The learner's record in chromium: the AS export leaves a learner out for a missing AS
Agreement ID, the reason's link opens the employment status's form at that box, and the
export run again puts the learner in the file and marks them Sent."""

from datetime import date

from playwright.sync_api import expect

from learners.models import Learner, Role
from tests.browser.conftest import sign_in
from tests.browser.test_as_cohort_export import make_sendable
from tests.factories import make_provider, make_user


def _run_export(page, base_url):
    page.goto(f"{base_url}/learners/?as_cohort=VLLXJ7&show=as_cohort")
    page.get_by_label("Select all 2 learners matching").check()
    page.locator("#bulk-action").select_option(label="AS Cohort Export")
    page.get_by_role("button", name="Run").click()
    expect(
        page.get_by_text("Nothing has been sent and no AS status has changed yet.")
    ).to_be_visible(timeout=30_000)


def test_the_fix_loop_from_a_left_out_learner_to_the_file(page, live_server, celery_worker):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(
        provider=provider,
        roles=[Role.LEARNER_LIST, Role.BULK_ACTIONS, Role.EDIT_LEARNERS],
        username="pat",
        email="pat@example.com",
    )
    make_sendable(provider, 0)
    missing = make_sendable(provider, 1)
    status = missing.employment_statuses.get()
    status.as_agreement_id = ""
    status.save()

    sign_in(page, live_server.url, "pat", "a-long-test-password")
    _run_export(page, live_server.url)
    today = date.today()
    reason = f"The Employed status current on {today:%d/%m/%Y} has no AS Agreement ID."
    page.get_by_role("link", name=reason).click()

    expect(page.get_by_role("heading", name="Edit the employment status")).to_be_visible()
    box = page.get_by_label("AS Agreement ID")
    expect(box).to_be_visible()
    box.fill("ABC123")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The employment status is saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="ABC123")).to_be_visible()

    _run_export(page, live_server.url)
    expect(page.locator("[data-in-file]")).to_have_text("2 learners")
    page.get_by_role("button", name="Confirm: make the file and mark as Sent").click()
    expect(page.get_by_text("do not open it in Excel")).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download AS-cohort-10012345-").click()
    content = download_info.value.path().read_bytes()
    assert b"VLLXJ7,ABC123," in content
    missing.refresh_from_db()
    assert missing.as_status == Learner.ASStatus.SENT

    # The record shows the change in its history.
    page.goto(f"{live_server.url}/learners/{missing.code}/history/")
    expect(page.get_by_text("AS Agreement ID: – → ABC123")).to_be_visible()
    expect(page.get_by_role("cell", name="pat Changed on the learner's record")).to_be_visible()
