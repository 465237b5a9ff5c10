"""The AS Cohort Export in chromium, on the real worker: More > AS Cohort, select all
matching, With selected learners > AS Cohort Export, the file and the learners left out."""

from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from learners.models import Learner, Role
from tests.browser.conftest import sign_in
from tests.factories import (
    make_aim,
    make_employment,
    make_episode,
    make_learner,
    make_provider,
    make_user,
)


def make_sendable(provider, n, **overrides):
    learner = make_learner(
        provider=provider,
        lrn=f"LRN{n:04d}",
        family_name=f"Cohort{n}",
        given_names="Sam",
        uln="1748529632" if n == 0 else "2000000028",
        email=f"sam{n}@example.com",
        as_cohort_code="VLLXJ7",
        **overrides,
    )
    episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
    make_aim(
        episode=episode,
        standard_id=91,
        start_date=date(2025, 9, 1),
        planned_end_date=date(2027, 3, 31),
        training_price=Decimal("9000"),
        rpl=False,
    )
    make_employment(learner=learner, as_agreement_id="XEGE5X")
    return learner


def test_it_exports_the_cohort_and_lists_who_was_left_out(page, live_server, celery_worker):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(
        provider=provider,
        roles=[Role.LEARNER_LIST, Role.BULK_ACTIONS],
        username="pat",
        email="pat@example.com",
    )
    included = make_sendable(provider, 0)
    make_sendable(provider, 1, date_of_birth=None)  # left out: no date of birth
    make_learner(provider=provider, family_name="Elsewhere")  # another cohort
    make_sendable(provider, 2, as_status=Learner.ASStatus.SENT)  # left out: Sent before

    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.goto(f"{live_server.url}/learners/")
    expect(page.get_by_role("option", name="AS Cohort Export (needs a filter)")).to_be_disabled()
    expect(page.get_by_text("To use AS Cohort Export, choose More")).to_be_visible()
    page.get_by_text("More", exact=True).click()
    page.get_by_role("link", name="AS Cohort").click()
    page.get_by_label("AS Cohort").fill("VLLXJ7")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("3 learners", exact=True)).to_be_visible()

    page.get_by_label("Select all 3 learners matching").check()
    page.get_by_label("With selected learners").select_option(label="AS Cohort Export")
    page.get_by_role("button", name="Run").click()

    # The check: how many go in, who is left out and why, who was Sent before; nothing sent.
    expect(
        page.get_by_text("Nothing has been sent and no AS status has changed yet.")
    ).to_be_visible(timeout=30_000)
    expect(page.locator("[data-in-file]")).to_have_text("1 learner (2 if you tick Send again)")
    expect(page.get_by_role("cell", name="Cohort2")).to_be_visible()  # the Sent-before table
    expect(page.get_by_label("Send again")).not_to_be_checked()
    expect(page.get_by_text("No date of birth.")).to_be_visible()
    included.refresh_from_db()
    assert included.as_status == ""
    page.get_by_role("button", name="Confirm: make the file and mark as Sent").click()

    expect(page.get_by_text("do not open it in Excel")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Learners left out, and why")).to_be_visible()
    expect(page.get_by_text("No date of birth.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download AS-cohort-10012345-").click()
    content = download_info.value.path().read_bytes()
    assert content.startswith(b"CohortRef,AgreementID,ULN,FamilyName,GivenNames,")
    assert content.count(b"\r\n") == 2
    assert b"VLLXJ7,XEGE5X,1748529632,Cohort0,Sam," in content

    page.goto(f"{live_server.url}/learners/{included.code}/")
    expect(page.get_by_text("Sent to Apprenticeship Service").first).to_be_visible()
    included.refresh_from_db()
    assert included.as_status == Learner.ASStatus.SENT
    subjects = {email["Subject"] for email in celery_worker.wait_for_email(count=2)}
    assert subjects == {"Finished: AS Cohort Export check", "Finished: AS Cohort Export"}
