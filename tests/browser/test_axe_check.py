"""The axe-core check that every page of the browser suite goes through (tests/browser/axe.py)."""

import pytest

from tests.browser.axe import AxeCheckedPage, AxeViolations

CLEAN = """<!DOCTYPE html><html lang="en"><head><title>Clean</title></head>
<body><main><h1>Clean</h1><label for="name">Name</label><input id="name"></main></body></html>"""

UNLABELLED = """<!DOCTYPE html><html lang="en"><head><title>Unlabelled</title></head>
<body><main><h1>Unlabelled</h1><input id="code"></main></body></html>"""


def test_every_page_a_test_gets_is_checked(page, browser):
    assert isinstance(page, AxeCheckedPage)
    assert isinstance(browser.new_context().new_page(), AxeCheckedPage)


def test_it_fails_on_the_next_use_of_a_page_that_loaded_with_a_violation(page):
    page.set_content(UNLABELLED)
    with pytest.raises(AxeViolations) as failure:
        page.get_by_role("heading", name="Unlabelled")
    (violation,) = failure.value.violations
    assert violation["id"] == "label"
    message = str(failure.value)
    # Rule id, impact, the element's selector and the rule's help page.
    assert "- label (critical): Form elements must have labels" in message
    assert "at #code:" in message
    assert "https://dequeuniversity.com/rules/axe/4.14/label" in message

    page.set_content(CLEAN)  # so the check when the test ends passes


def test_it_checks_the_page_as_it_is_when_the_test_ends(page):
    page.set_content(CLEAN)
    page.evaluate("() => document.querySelector('label').remove()")
    with pytest.raises(AxeViolations, match="label"):
        page.axe_check()
    page.set_content(CLEAN)


def test_it_passes_a_clean_page(page):
    page.set_content(CLEAN)
    page.axe_check()
    assert page.get_by_label("Name").count() == 1


def test_it_checks_against_wcag_2_2_aa_too(page):
    # target-size (WCAG 2.2 AA, 2.5.8): two tiny buttons side by side.
    tiny = '<button style="width:10px;height:10px;padding:0;margin:0">{}</button>'
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Targets</title></head><body><main>'
        f"<h1>Targets</h1>{tiny.format('a')}{tiny.format('b')}</main></body></html>"
    )
    with pytest.raises(AxeViolations, match="target-size"):
        page.axe_check()
    page.set_content(CLEAN)


@pytest.mark.xfail(raises=AxeViolations, strict=True, reason="the check when the test ends")
def test_a_test_that_leaves_a_violation_on_its_page_fails(page):
    # Nothing uses the page after it loads: the conftest's check at the end fails the test.
    page.set_content(UNLABELLED)
