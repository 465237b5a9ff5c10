"""A walk over the site as the demo users, so axe-core checks every kind of page (issue 19:
the check "runs over every page"): from the home page, each link to a page of the site is
followed once per kind of page (its path with codes and numbers as placeholders, and the
names of its query keys), and every page must answer 200 and pass axe-core."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Error

from demo import services as demo
from tests.browser.axe import AxeViolations
from tests.browser.conftest import sign_in

# Links the walk does not follow: they sign out, change data on GET in the admin's own
# confirmations, or are files rather than pages.
SKIP = re.compile(
    r"/logout|/delete/|/download|\.csv$|\.xlsx$|/sample|/left-out|/admin/jsi18n|/status/$"
)
PLACEHOLDERS = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "{code}"),
    (re.compile(r"/\d+(?=/|$)"), "/{n}"),
]


def kind_of_page(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path
    for pattern, placeholder in PLACEHOLDERS:
        path = pattern.sub(placeholder, path)
    # Keys that only page, sort or carry context make no new kind of page.
    ignored = {"provider", "back", "page", "sort", "per_page"}
    keys = sorted({key for key, _ in parse_qsl(parts.query)} - ignored)
    return path + ("?" + "&".join(keys) if keys else "")


def walk(page, base_url: str, start: str, budget: int) -> tuple[list[str], list[str]]:
    """The kinds of page visited, and what went wrong on them."""
    seen: set[str] = set()
    queue = deque([base_url + start])
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < budget:
        url = queue.popleft()
        kind = kind_of_page(url)
        if kind in seen:
            continue
        seen.add(kind)
        try:
            response = page.goto(url)
        except Error as error:  # a link that starts a download is not a page
            if "Download is starting" in error.message:
                continue
            raise
        visited.append(kind)
        if response is None or response.status != 200:
            problems.append(f"{url}: HTTP {response.status if response else '?'}")
            continue
        try:
            page.axe_check()
        except AxeViolations as violations:
            problems.append(str(violations))
        for href in page.eval_on_selector_all(
            "a[href]", "links => links.map((a) => a.href.split('#')[0])"
        ):
            ours = href.startswith(base_url) and not SKIP.search(urlsplit(href).path)
            if ours and kind_of_page(href) not in seen:
                queue.append(href)
    return visited, problems


@pytest.mark.parametrize(
    ("username", "start", "budget"),
    [
        ("staff", "/", 60),
        ("lm-northgate", "/apply/", 60),
        ("pm-northgate", "/apply/", 40),
        ("admissions-northgate", "/apply/admissions/", 20),
        ("learner", "/apply/home/", 40),
        ("admin", "/admin/", 80),
    ],
)
def test_every_kind_of_page_passes_axe_core(
    browser, live_server, standards, qualification_data, username, start, budget
):
    demo.seed_demo(learners=60, seed=2026, progress=lambda done: None)
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, username, demo.DEMO_PASSWORD)
    visited, problems = walk(page, live_server.url, start, budget)
    print(f"{username}: {len(visited)} kinds of page", *visited, sep="\n  ")
    assert len(visited) >= min(budget, 5), visited
    assert not problems, "\n\n".join(problems)
