"""Real headless Chromium (Debian's `chromium` package) driven by Playwright.

Pages are served by pytest-django's live server; store hosts are `<slug>.localhost:<port>`,
which Chromium resolves to loopback by itself.
"""

import os

import pytest

from tests.support.browser import CHROMIUM_FLAGS, chromium_path


@pytest.fixture(scope="session")
def browser():
    # The async-safety check trips over Playwright's event loop in the test thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
