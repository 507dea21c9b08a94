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


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser context (no cookies, no storage) and page for each test."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Page caches are keyed by database versions that a rolled-back test can reuse."""
    from django.core.cache import cache

    cache.clear()
    yield
