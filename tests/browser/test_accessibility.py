"""Issue 19 §12 in chromium: what a keyboard, screen-reader or zoomed-in user meets on the
learner list and around it (every page here also passes the axe-core check of the conftest)."""

from datetime import date

from playwright.sync_api import expect

from learners.models import Role
from tests.browser.conftest import sign_in
from tests.factories import (
    make_aim,
    make_contract,
    make_employment,
    make_episode,
    make_learner,
    make_organisation,
    make_provider,
    make_site,
    make_user,
)

# WCAG's relative luminance and contrast ratio of two computed CSS colours ("rgb(r, g, b)").
CONTRAST = """([a, b]) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def _list_with_learners(page, live_server, count=30, roles=(Role.LEARNER_LIST,)):
    provider = make_provider(name="Northgate Training")
    make_user(provider=provider, roles=list(roles), username="pat")
    site = make_site(provider=provider, name="Leeds City Centre Campus")
    employer = make_organisation(provider=provider, name="Yorkshire Regional Engineering Ltd")
    for n in range(count):
        learner = make_learner(
            provider=provider,
            family_name=f"Featherstonehaugh-Whitworth{n:02d}",
            given_names="Alexandra Josephine",
            site=site,
        )
        make_employment(learner=learner, employer=employer)
    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.goto(f"{live_server.url}/learners/")
    return provider


def test_the_learner_list_reflows_at_320_css_pixels(page, live_server):
    page.set_viewport_size({"width": 320, "height": 800})
    _list_with_learners(page, live_server)
    expect(page.get_by_text("30 learners", exact=True)).to_be_visible()

    # No sideways scrolling of the page (WCAG 1.4.10): the table scrolls in its own region,
    # which the keyboard can reach.
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter((e) =>"
        " e.getBoundingClientRect().right > 320 && !e.closest('.picsweb-table-scroll'))"
        ".map((e) => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320, wide
    table = page.get_by_role("region", name="Learners", exact=True)
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")
    assert table.get_attribute("tabindex") == "0"
    for control in (
        page.get_by_role("button", name="Apply filters"),
        page.get_by_label("Select all 30 learners matching"),
        page.get_by_role("button", name="Download selected as CSV"),
        page.get_by_role("link", name="Next page"),
    ):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320


def test_the_page_keeps_a_side_margin_between_1020_and_1310_pixels(page, live_server):
    _list_with_learners(page, live_server, count=1)
    for width in (1020, 1100, 1310, 1400):
        page.set_viewport_size({"width": width, "height": 800})
        left, right = page.locator("main").evaluate(
            "e => { const r = e.parentElement.getBoundingClientRect();"
            " return [r.left, window.innerWidth - r.right]; }"
        )
        assert left >= 30 and right >= 30, (width, left, right)


def test_the_current_navigation_item_is_marked(page, live_server):
    provider = _list_with_learners(page, live_server, count=1)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Learners")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Home")).not_to_have_attribute("aria-current", "page")

    # Within the section (a learner's page), the link marks where the user is.
    page.get_by_role("link", name="Featherstonehaugh-Whitworth00, Alexandra Josephine").click()
    expect(nav.get_by_role("link", name="Learners")).to_have_attribute("aria-current", "true")

    page.goto(f"{live_server.url}/?provider={provider.code}")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(nav.locator("[aria-current]")).to_have_count(1)


def test_a_filter_error_names_its_field_and_the_title_says_error(page, live_server):
    _list_with_learners(page, live_server, count=1)
    expect(page).to_have_title("Learners – picsweb")

    page.get_by_label("Standard code").fill("abc")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_title("Error: Learners – picsweb")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    summary.get_by_role("link", name="Standard code must be a number").click()
    expect(page.get_by_label("Standard code")).to_be_focused()
    expect(page.locator(".govuk-error-message")).to_have_text(
        "Error: Standard code must be a number"
    )
    # A screen reader hears the message with the field.
    expect(page.get_by_label("Standard code")).to_have_accessible_description(
        "Error: Standard code must be a number"
    )


def test_nothing_selected_is_an_error_on_the_selection_not_a_banner(page, live_server):
    _list_with_learners(page, live_server, count=3)
    # One thing to do with the selection: the button says what it does (no "Update All" menu).
    expect(page.get_by_label("Update All")).to_have_count(0)
    page.get_by_role("button", name="Download selected as CSV").click()

    expect(page).to_have_title("Error: Learners – picsweb")
    expect(page.get_by_text("Important")).to_have_count(0)
    summary = page.get_by_role("alert")
    message = "Tick at least one learner, or select all learners matching."
    summary.get_by_role("link", name=message).click()
    expect(page.get_by_label("Select all 3 learners matching")).to_be_focused()
    expect(page.get_by_label("Select all 3 learners matching")).to_have_accessible_description(
        f"Error: {message}"
    )

    # Chosen, it goes: the error is gone from the next page.
    page.get_by_label("Select all 3 learners matching").check()
    with page.expect_download():
        page.get_by_role("button", name="Download selected as CSV").click()
    page.reload()
    expect(page).to_have_title("Learners – picsweb")


def test_with_more_than_one_action_the_menu_says_what_it_acts_on(page, live_server):
    _list_with_learners(page, live_server, count=2, roles=(Role.LEARNER_LIST, Role.BULK_ACTIONS))
    menu = page.get_by_label("With selected learners")
    expect(menu.locator("option")).to_have_text(
        ["Download selected as CSV", "AS Cohort Export (needs a filter)"]
    )
    expect(page.get_by_role("button", name="Run")).to_be_visible()


def test_the_pager_and_the_bar_buttons_have_enough_contrast(page, live_server):
    _list_with_learners(page, live_server)
    current = page.locator(".govuk-pagination__item--current")
    expect(current.get_by_role("link", name="Page 1 of 2")).to_have_attribute(
        "aria-current", "page"
    )
    text, box = current.get_by_role("link").evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e.closest('li')).backgroundColor]"
    )
    assert page.evaluate(CONTRAST, [text, box]) >= 4.5

    # The grey bar's button stands out from the bar (non-text contrast, WCAG 1.4.11).
    bar = page.get_by_role("region", name="Selected learners")
    button = bar.get_by_role("button", name="Download selected as CSV")
    # Its edge: the border, or where that is transparent, its face.
    edge, bar_colour = button.evaluate(
        "e => { const s = getComputedStyle(e); const border = s.borderTopColor;"
        " return [border.startsWith('rgba') && border.endsWith(', 0)') ? s.backgroundColor"
        " : border, getComputedStyle(e.closest('.picsweb-bulk-bar')).backgroundColor]; }"
    )
    assert page.evaluate(CONTRAST, [edge, bar_colour]) >= 3


def test_the_admin_learner_change_form_labels_its_inline_fields(page, live_server):
    provider = make_provider(name="Northgate Training")
    make_user(username="root", is_superuser=True, is_staff=True)
    learner = make_learner(provider=provider)
    episode = make_episode(learner=learner)
    make_aim(episode=episode, contract=make_contract(provider=provider))
    employer = make_organisation(provider=provider)
    make_employment(learner=learner, employer=employer, date_applies=date(2025, 8, 1))
    sign_in(page, live_server.url, "root", "a-long-test-password")
    # axe-core's label and select-name rules check every inline field (conftest).
    page.goto(f"{live_server.url}/admin/learners/learner/{learner.pk}/change/")
    expect(page.get_by_role("heading", name="Change learner")).to_be_visible()
    expect(page.get_by_role("textbox", name="Episode 1: IDENT")).to_be_visible()
