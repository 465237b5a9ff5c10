"""The R&C export in chromium on the real worker: "Select all N" above DIRECT_DOWNLOAD_LIMIT
exports all N, not the ticked page of 50."""

from playwright.sync_api import expect

from learners.models import Role
from regcert.models import Registration
from tests.browser.conftest import sign_in
from tests.factories import make_learner, make_provider, make_user


def test_select_all_above_the_limit_exports_every_registration(
    page, live_server, celery_worker, settings
):
    settings.DIRECT_DOWNLOAD_LIMIT = 10
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(
        provider=provider,
        roles=[Role.MANAGE_REGCERT, Role.DATA_EXPORT],
        username="pat",
        email="pat@example.com",
    )
    learner = make_learner(provider=provider, family_name="Okafor")
    Registration.objects.bulk_create(
        Registration(
            learner=learner, qualification_number=f"Q{n:03d}", registration_number=f"R{n:03d}"
        )
        for n in range(68)
    )

    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.get_by_role("link", name="Registration and Certification").first.click()
    expect(page.get_by_text("68 registrations", exact=True)).to_be_visible()
    page.get_by_label("Select all 68 registrations in the list").check()
    expect(page.get_by_text("All 68 matching registrations are selected")).to_be_visible()
    page.get_by_role("button", name="Export").click()

    expect(page.get_by_text("Your file is ready")).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download registrations-").click()
    text = download_info.value.path().read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 1 + 68
    assert sum(f",R{n:03d}," in text for n in range(68)) == 68
