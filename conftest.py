"""Fixtures shared by every test: a real headless browser for page tests.

Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright's
sync API; Playwright never downloads a browser of its own. Mark them
``@pytest.mark.browser`` and use pytest-django's ``live_server`` with ``page``::

    @pytest.mark.browser
    def test_sign_in_page(live_server, page):
        response = page.goto(live_server.url + "/accounts/login/")
        assert response.status == 200
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, and Django
# refuses database access from a thread with a running loop unless told otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Local settings: cookies over plain http on 127.0.0.1, a fixed test-only secret key.
os.environ.setdefault("LOS_INSECURE_LOCAL", "1")

CHROMIUM = os.environ.get("LOS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium package")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# axe-core (from npm, beside GOV.UK Frontend) checks every page a browser test loads
# against WCAG 2.2 A and AA. Playwright injects it as an init script, which the
# page's CSP does not govern; each page reports its violations back to the test.
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """
window.addEventListener("load", () => {
  if (!window.axe || location.protocol === "about:" || document.contentType !== "text/html") return;
  window.__axeDone = false;
  axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
    .then((result) => window.__reportAxe(location.pathname + location.search, result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }))))
    .finally(() => { window.__axeDone = true; });
});
"""


@pytest.fixture
def page(browser, request) -> Iterator:
    """A fresh browser context (no cookies, no storage) and page for each test. Every page it
    loads is checked with axe-core, and a violation fails the test at its end (mark a test
    ``@pytest.mark.no_axe`` only where it loads a page on purpose broken, and say why)."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    found: list[str] = []
    check = "no_axe" not in request.keywords
    if check:
        if not AXE.exists():
            pytest.fail(f"axe-core not found at {AXE}: run scripts/assets.sh (make test does)")
        context.expose_function(
            "__reportAxe",
            lambda where, violations: found.extend(
                f"{where}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(v['targets'])}" for v in violations
            ),
        )
        context.add_init_script(script=AXE.read_text() + AXE_RUN)
    page = context.new_page()
    yield page
    if check and not page.is_closed():
        wait_for(page, "window.__axeDone !== false")  # the last page's check may still be running
    context.close()
    if check and found:
        pytest.fail("Accessibility (axe-core) violations:\n" + "\n".join(dict.fromkeys(found)), pytrace=False)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Page caches are keyed by database versions that a rolled-back test can reuse."""
    from django.core.cache import cache

    cache.clear()
    yield


def fill_date(page, legend: str, value: str) -> None:
    """Fill a GOV.UK date input (web/forms.py DateInput), found by its legend, with YYYY-MM-DD."""
    year, month, day = value.split("-")
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(int(day)))
    group.get_by_label("Month").fill(str(int(month)))
    group.get_by_label("Year").fill(year)


def wait_for(page, expression: str, timeout: float = 10.0) -> bool:
    """Poll a JavaScript expression until it is true. (Playwright's wait_for_function evaluates
    its predicate with eval, which our Content-Security-Policy forbids; evaluate does not.)"""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if page.evaluate(expression):
                return True
        except Exception:  # noqa: BLE001 - a navigation in between: ask the new page
            pass
        page.wait_for_timeout(50)
    return False
