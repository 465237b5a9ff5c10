"""Playwright driving Debian's chromium against pytest-django's live server.

Every page a test gets (the `page` fixture, or `browser.new_context().new_page()`) is checked
with axe-core after each load and once more when the test body ends (tests/browser/axe.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.axe import AxeCheckedPage, axe_checked

# Playwright's sync API runs an event loop in this thread; the test still talks to the
# database synchronously between browser steps, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """When a test body passes, axe-core checks each page it left open, as it is then."""
    result = yield  # a failing test keeps its own failure
    pages: list[AxeCheckedPage] = getattr(item, "funcargs", {}).get("axe_pages", [])
    for page in pages:
        page.axe_check()
    return result


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def axe_pages() -> list[AxeCheckedPage]:
    """The pages this test opened, for the last axe-core check."""
    return []


class AxeBrowser:
    """The session's chromium, for one test: the pages of its contexts are axe-checked."""

    def __init__(self, browser: Browser, pages: list[AxeCheckedPage]) -> None:
        self._browser = browser
        self._pages = pages
        self.contexts: list[BrowserContext] = []

    def new_context(self, **options: Any) -> BrowserContext:
        context = self._browser.new_context(**options)
        self.contexts.append(context)
        new_page = context.new_page

        def checked_new_page() -> AxeCheckedPage:
            page = axe_checked(new_page())
            page.set_default_timeout(15_000)
            self._pages.append(page)
            return page

        context.new_page = checked_new_page  # type: ignore[method-assign]
        return context

    def new_page(self, **options: Any) -> AxeCheckedPage:
        page = self.new_context(**options).new_page()
        assert isinstance(page, AxeCheckedPage)
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def browser(chromium: Browser, axe_pages: list[AxeCheckedPage]) -> Iterator[AxeBrowser]:
    checked = AxeBrowser(chromium, axe_pages)
    yield checked
    for context in checked.contexts:
        context.close()


@pytest.fixture
def page(browser: AxeBrowser, live_server: object) -> Page:
    return browser.new_context(accept_downloads=True).new_page()


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
