"""The signup widget in a real headless Chromium, embedded in a third-party store page.

The sample page (widgets/test/store.html) is served by its own little HTTP server, so it runs
on another origin than the platform (which serves the script) and the store (which takes the
signup), exactly like a seller's own website.
"""

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from playwright.sync_api import expect

from tenant_apps.signups.models import Signup, WidgetSite
from tenant_apps.signups.services import widget_site_update
from tests.support.browser import live_url
from tests.support.stores import in_store, store_host

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "widgets" / "test"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def sample_page_port():
    handler = functools.partial(_QuietHandler, directory=str(SAMPLE_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def shop(make_store, sample_page_port):
    """A store whose widget site allows the sample page on http://127.0.0.1:<port> only."""
    store = make_store(name="Widget Shop", slug="widgetshop", timezone="Asia/Kolkata")
    with in_store(store):
        site = WidgetSite.objects.get()
        widget_site_update(
            site=site,
            allowed_origins=[*site.allowed_origins, f"http://127.0.0.1:{sample_page_port}"],
        )
    return store, site


def sample_page_url(live_server, store, site, *, page_host: str, port: int) -> str:
    query = urlencode(
        {
            "key": site.key,
            "platform": live_url(live_server, "localhost", ""),
            "store": live_url(live_server, store_host(store), ""),
        }
    )
    return f"http://{page_host}:{port}/store.html?{query}"


def signup_emails(store) -> list[str]:
    with in_store(store):
        return list(Signup.objects.order_by("id").values_list("email", flat=True))


def session_cookie(store, seller) -> str:
    client = Client(HTTP_HOST=store_host(store))
    with in_store(store):
        client.force_login(seller)
    return client.cookies["sessionid"].value


def test_visitor_signs_up_and_the_seller_sees_it(shop, live_server, page, sample_page_port):
    store, site = shop
    url = sample_page_url(live_server, store, site, page_host="127.0.0.1", port=sample_page_port)
    held = []
    page.route("**/api/widget/signups**", lambda route: held.append(route))

    page.goto(url)
    widget = page.locator("[data-seller-suite-widget]")
    expect(widget.get_by_role("dialog", name="Join the Acme Tea list")).to_be_visible()
    submit = widget.get_by_role("button", name="Sign up")
    # The host page paints every button hot pink; the Shadow DOM keeps the widget's own style.
    assert submit.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(47, 111, 237)"
    widget.get_by_label("E-mail address").fill("Visitor@Example.com")
    widget.get_by_label("I agree to receive e-mails from Acme Tea.").check()
    submit.click()

    # While the request is in flight the button is disabled and says so.
    expect(widget.get_by_role("button", name="Sending…")).to_be_disabled()
    page.wait_for_timeout(50)
    assert len(held) >= 1
    for route in held:
        route.continue_()
    page.unroute("**/api/widget/signups**")

    expect(widget.get_by_role("status")).to_have_text("Thanks! Check your inbox soon.")
    assert signup_emails(store) == ["visitor@example.com"]
    with in_store(store):
        signup = Signup.objects.get()
    assert signup.consent is True
    assert signup.page_url == url
    assert signup.site_id == site.id

    # The seller opens the signups page on the store host and finds the visitor.
    host = store_host(store)
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(store, store.owner),
          "url": live_url(live_server, host, "/")}]
    )  # fmt: skip
    page.goto(live_url(live_server, host, "/dashboard/signups/"))  # moved to the console
    assert page.url == live_url(live_server, host, "/console/signups/")
    expect(page.locator("#signups-month")).to_have_text("1")
    expect(page.locator("#signups-today-list tbody tr")).to_have_count(1)
    expect(page.locator("#signups-today-list tbody tr").first).to_contain_text(
        "visitor@example.com"
    )


def test_keyboard_escape_closes_and_the_dismissal_is_remembered(
    shop, live_server, page, sample_page_port
):
    store, site = shop
    url = sample_page_url(live_server, store, site, page_host="127.0.0.1", port=sample_page_port)
    page.goto(url)
    widget = page.locator("[data-seller-suite-widget]")
    dialog = widget.get_by_role("dialog")
    expect(dialog).to_be_visible()

    widget.get_by_label("E-mail address").focus()
    page.keyboard.press("Escape")

    expect(dialog).to_be_hidden()
    launcher = widget.get_by_role("button", name="Get updates")
    expect(launcher).to_be_focused()

    page.reload()
    expect(widget.get_by_role("button", name="Get updates")).to_be_visible()
    expect(widget.get_by_role("dialog")).to_be_hidden()
    widget.get_by_role("button", name="Get updates").focus()
    page.keyboard.press("Enter")  # the launcher is a real button: the keyboard opens it
    expect(widget.get_by_role("dialog")).to_be_visible()
    expect(widget.get_by_label("E-mail address")).to_be_focused()
    assert signup_emails(store) == []


def test_invalid_email_shows_an_error_and_stores_nothing(shop, live_server, page, sample_page_port):
    store, site = shop
    page.goto(
        sample_page_url(live_server, store, site, page_host="127.0.0.1", port=sample_page_port)
    )
    widget = page.locator("[data-seller-suite-widget]")
    widget.get_by_label("E-mail address").fill("not-an-email")
    widget.get_by_role("button", name="Sign up").click()

    expect(widget.get_by_role("status")).to_have_text("Please enter a valid e-mail address.")
    expect(widget.get_by_label("E-mail address")).to_have_attribute("aria-invalid", "true")
    assert signup_emails(store) == []


def test_from_a_page_on_an_origin_not_allowed_it_says_the_site_is_not_set_up(
    shop, live_server, page, sample_page_port
):
    store, site = shop
    # Same page, but addressed as localhost: a different origin, not in the site's list.
    page.goto(
        sample_page_url(live_server, store, site, page_host="localhost", port=sample_page_port)
    )
    widget = page.locator("[data-seller-suite-widget]")
    widget.get_by_label("E-mail address").fill("blocked@example.com")
    submit = widget.get_by_role("button", name="Sign up")
    submit.click()

    expect(widget.get_by_role("status")).to_have_text("This site is not set up for signups yet.")
    expect(submit).to_be_enabled()
    assert signup_emails(store) == []
