"""The console's Signups pages in real Chromium: add a widget site, put the widget on a page
of another origin, a visitor signs up, the seller sees it; a refused origin reads "not set up"
in the widget and gets an Allow button in the console. Every page passes the audit."""

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tenant_apps.signups.models import Signup, WidgetSite
from tests.support.browser import live_url
from tests.support.pages import audit_passes, console_sign_in, page_audit
from tests.support.stores import in_store, store_host

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "widgets" / "test"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def other_origin_port():
    """widgets/test/store.html on its own port: the seller's own website, another origin."""
    handler = functools.partial(_QuietHandler, directory=str(SAMPLE_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def shop_page(live_server, store, key: str, *, host: str, port: int) -> str:
    query = urlencode({"key": key, "platform": live_url(live_server, "localhost", ""),
                       "store": live_url(live_server, store_host(store), "")})  # fmt: skip
    return f"http://{host}:{port}/store.html?{query}"


def add_site(page, live_server, store, *, origin: str) -> str:
    """Add a website in the console by clicking; returns its key (read from the snippet)."""
    page.goto(live_url(live_server, store_host(store), "/console/signups/sites/"))
    page.get_by_label("Website name").fill("Tea shop")
    page.get_by_label("Allowed addresses").fill(origin)
    page.get_by_role("button", name="Add website").click()
    expect(page.get_by_role("heading", name="Tea shop", level=1)).to_be_visible()
    snippet = page.get_by_label("Paste this snippet before </body> on your pages").input_value()
    return re.search(r'data-site-key="(pk_[^"]+)"', snippet).group(1)


@pytest.mark.django_db(transaction=True)
def test_a_site_added_in_the_console_takes_signups_from_another_origin(
    make_store, live_server, page, other_origin_port
):
    store = make_store("Tea Console", timezone="Asia/Kolkata")
    console_sign_in(page, live_server, store)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    key = add_site(page, live_server, store, origin=f"http://127.0.0.1:{other_origin_port}")

    page.get_by_role("button", name="Copy snippet").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert 'data-site-key="' + key in page.evaluate("navigator.clipboard.readText()")

    # The live preview runs the real widget against this site and keeps nothing.
    page.locator("iframe.widget-preview").scroll_into_view_if_needed()
    preview = page.frame_locator("iframe.widget-preview").locator("[data-seller-suite-widget]")
    preview.get_by_label("E-mail address").fill("seller@example.com")
    preview.get_by_role("button", name="Sign up").click()
    expect(preview.get_by_role("status")).to_have_text("Thank you! You are on the list.")

    page.goto(shop_page(live_server, store, key, host="127.0.0.1", port=other_origin_port))
    widget = page.locator("[data-seller-suite-widget]")
    widget.get_by_label("E-mail address").fill("visitor@example.com")
    widget.get_by_role("button", name="Sign up").click()
    expect(widget.get_by_role("status")).to_have_text("Thanks! Check your inbox soon.")

    page.goto(live_url(live_server, store_host(store), "/console/signups/"))
    expect(page.locator("#signups-today")).to_have_text("1")
    expect(page.locator("#signups-today-list tbody tr")).to_have_count(1)
    expect(page.locator("#signups-today-list")).to_contain_text("visitor@example.com")
    with in_store(store):
        assert list(Signup.objects.values_list("email", flat=True)) == ["visitor@example.com"]
        site_id = WidgetSite.objects.get(key=key).pk

    host = store_host(store)
    for path, name in [
        ("/console/signups/", "signups"),
        ("/console/signups/sites/", "signups-sites"),
        (f"/console/signups/sites/{site_id}/", "signups-site"),
        (f"/console/signups/sites/{site_id}/preview", "signups-preview"),
    ]:
        findings = page_audit(page, live_url(live_server, host, path), name)
        assert audit_passes(findings) == {}, name


@pytest.mark.django_db(transaction=True)
def test_a_refused_origin_reads_not_set_up_and_is_allowed_in_one_click(
    make_store, live_server, page, other_origin_port
):
    store = make_store("Tea Refused", timezone="Asia/Kolkata")
    console_sign_in(page, live_server, store)
    key = add_site(page, live_server, store, origin="https://tea.example")
    site_url = page.url
    refused_origin = f"http://localhost:{other_origin_port}"

    page.goto(shop_page(live_server, store, key, host="localhost", port=other_origin_port))
    widget = page.locator("[data-seller-suite-widget]")
    widget.get_by_label("E-mail address").fill("early@example.com")
    widget.get_by_role("button", name="Sign up").click()
    expect(widget.get_by_role("status")).to_have_text("This site is not set up for signups yet.")

    page.goto(site_url)
    refused = page.get_by_role("region", name="Refused addresses")
    expect(refused).to_contain_text(refused_origin)
    findings = page_audit(page, site_url, "signups-site-refused")
    assert audit_passes(findings) == {}
    page.get_by_role("button", name=f"Allow {refused_origin}").click()
    expect(page.get_by_text(f"{refused_origin} may now use the widget.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Allowed addresses")).to_have_value(
        f"https://tea.example\n{refused_origin}"
    )

    page.goto(shop_page(live_server, store, key, host="localhost", port=other_origin_port))
    widget.get_by_label("E-mail address").fill("early@example.com")
    widget.get_by_role("button", name="Sign up").click()
    expect(widget.get_by_role("status")).to_have_text("Thanks! Check your inbox soon.")
    with in_store(store):
        assert list(Signup.objects.values_list("email", flat=True)) == ["early@example.com"]
