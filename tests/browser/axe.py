"""axe-core over every page the browser suite visits.

`axe_checked(page)` turns a Playwright `Page` into an `AxeCheckedPage`: each time its document
loads (a `goto`, a click that follows a link or submits a form, `set_content`, a reload), the
next use of the page first checks that document with axe-core against WCAG 2.0, 2.1 and 2.2
A and AA, and the test fails there, naming each violation (rule, impact, the elements' selectors
and the rule's help page). The conftest gives every test such pages (the `page` fixture and every
page of a context made from the `browser` fixture) and checks each open page once more when the
test body ends, so a test author writes nothing for it.

The site's Content Security Policy allows no inline script, so axe is never added as a <script>
element: its source is evaluated through Playwright (CDP's Runtime.evaluate is not bound by the
page's CSP). axe-core comes from npm, pinned in package-lock.json (`make node_modules`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Runs in the page: axe.run over the whole document with the WCAG A/AA rules only, and what
# a failing test prints about each violation.
_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
  }));
}"""


class AxeViolations(AssertionError):
    """A page broke WCAG A/AA rules that axe-core checks."""

    def __init__(self, url: str, violations: list[dict[str, Any]]) -> None:
        self.url = url
        self.violations = violations
        super().__init__(format_violations(url, violations))


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


@cache
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise RuntimeError(
            f"{AXE_SOURCE.relative_to(ROOT)} is missing: run `make node_modules` (npm ci), "
            "which `make test` does before pytest"
        )
    # Evaluated as the body of a function, so that Playwright calls it once.
    return "() => {\n" + AXE_SOURCE.read_text(encoding="utf-8") + "\n}"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG A/AA violations axe-core finds in the page's document as it is now."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("() => typeof window.axe === 'object'"):
                page.evaluate(axe_source())
            violations: list[dict[str, Any]] = page.evaluate(_RUN, WCAG_TAGS)
            return violations
        except Error as error:
            # The test had started another navigation: check the page it leads to.
            if "context was destroyed" not in error.message or attempt == 2:
                raise
    raise AssertionError("unreachable")


class AxeCheckedPage(Page):
    """A Page whose every loaded document is checked by axe-core before the page is used again.

    Made only by `axe_checked`, which changes an existing Page's class: Playwright keeps one
    Python object per page, so the locators, events and `expect` all see this one.
    """

    _axe_pending: bool  # a document loaded since the last check
    _axe_running: bool  # a check is under way (its own calls on the page start none)
    _axe_loads: int  # documents loaded so far

    def __getattribute__(self, name: str) -> Any:
        if (
            not name.startswith("_")
            and name not in _OWN
            and object.__getattribute__(self, "_axe_pending")
            and not object.__getattribute__(self, "_axe_running")
        ):
            object.__getattribute__(self, "axe_check")()
        return super().__getattribute__(name)

    def axe_check(self) -> None:
        """Check the document now; raise AxeViolations if axe-core finds any violation."""
        object.__setattr__(self, "_axe_pending", False)
        # A page that never loaded anything (its first about:blank) has no document to check.
        if super().__getattribute__("is_closed")() or not object.__getattribute__(
            self, "_axe_loads"
        ):
            return
        object.__setattr__(self, "_axe_running", True)
        try:
            violations = axe_violations(self)
        finally:
            object.__setattr__(self, "_axe_running", False)
        if violations:
            raise AxeViolations(super().__getattribute__("url"), violations)

    def _axe_loaded(self) -> None:
        object.__setattr__(self, "_axe_pending", True)
        object.__setattr__(self, "_axe_loads", object.__getattribute__(self, "_axe_loads") + 1)


_OWN = frozenset({"axe_check"})


def axe_checked(page: Page) -> AxeCheckedPage:
    """The same page, now checked with axe-core after every load (see AxeCheckedPage)."""
    if isinstance(page, AxeCheckedPage):
        return page
    page.__class__ = AxeCheckedPage
    assert isinstance(page, AxeCheckedPage)
    object.__setattr__(page, "_axe_pending", False)
    object.__setattr__(page, "_axe_running", False)
    object.__setattr__(page, "_axe_loads", 0)
    page.on("load", lambda _page: page._axe_loaded())
    return page
