from playwright.sync_api import expect

from learners.models import Role
from tests.browser.conftest import sign_in
from tests.factories import make_provider, make_user


def test_it_signs_in_and_reaches_the_home_page(page, live_server):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(provider=provider, roles=[Role.PROVIDER_ADMIN], username="pat")

    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Sign in to picsweb")).to_be_visible()
    sign_in(page, live_server.url, "pat", "a-long-test-password")

    expect(page.get_by_role("heading", name="Welcome, pat")).to_be_visible()
    expect(page.get_by_text("Northgate Training (10012345)")).to_be_visible()
    # The page is styled by the vendored govuk-frontend (no build step, served as static).
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.govuk-heading-xl')).fontWeight")
        == "700"
    )

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to picsweb")).to_be_visible()


def test_it_shows_a_wrong_password_in_the_error_summary(page, live_server):
    make_user(username="pat")
    sign_in(page, live_server.url, "pat", "wrong")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Please enter a correct username")).to_be_visible()


def test_it_runs_govuk_frontend_under_the_content_security_policy(page, live_server):
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    make_user(username="pat")
    sign_in(page, live_server.url, "pat", "wrong")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    # js-enabled.js marked the body and init-govuk.js started the components (from files:
    # the policy allows no inline script).
    expect(page.locator("body.js-enabled.govuk-frontend-supported")).to_have_count(1)
    expect(page.locator("[data-govuk-error-summary-init]")).to_have_count(1)
    assert violations == []
