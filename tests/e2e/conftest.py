"""Real headless Chromium (Debian's `chromium` package) driven by Playwright.

Pages are served by pytest-django's live server; store hosts are `<slug>.localhost:<port>`,
which Chromium resolves to loopback by itself.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        raise RuntimeError("chromium is not installed: run `bash scripts/ensure_chromium.sh`")
    return path


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


def live_url(live_server, host: str, path: str = "/") -> str:
    """The live server's URL for a given host name (platform or store)."""
    port = urlsplit(live_server.url).port
    return f"http://{host}:{port}{path}"
