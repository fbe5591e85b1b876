"""The whole story in real Chromium, as the console issue tells it: a new seller goes from the
platform home to their own store, adds a product with a picture, puts the signup widget on a
page of another origin, a buyer orders on a 390 px phone, the seller moves the order to
delivered, and writes to a client. No step uses the API or the admin by hand."""

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from shared_apps.accounts import sms
from tenant_apps.conversations.models import Chat
from tenant_apps.orders.models import Order
from tenant_apps.signups.models import Signup
from tenants.models import Store
from tenants.services import platform_tenants_ensure, store_delete
from tests.support.browser import live_url
from tests.support.factories import image_bytes
from tests.support.pages import sideways_overflow
from tests.support.stores import PLATFORM_HOST, in_store

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SELLER_MOBILE = "+919876543210"
BUYER_TYPED, BUYER_MOBILE = "98111 22333", "+919811122333"
WIDGET_PAGE_DIR = Path(__file__).resolve().parents[2] / "widgets" / "test"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def sellers_own_site():
    """widgets/test/store.html served on its own port: the seller's website, another origin."""
    handler = functools.partial(_QuietHandler, directory=str(WIDGET_PAGE_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def story_server(live_server, settings):
    """Store links on the live server's port; the store the story makes is removed after."""
    platform_tenants_ensure()
    settings.SAAS_URL_PORT = str(urlsplit(live_server.url).port)
    yield live_server
    for store in Store.objects.filter(owner__mobile=SELLER_MOBILE):
        store_delete(store=store)


def last_code() -> str:
    return re.search(r"(\d{6})", sms.outbox[-1]["text"]).group(1)


def sign_up_and_create_store(page, url) -> None:
    page.goto(url(PLATFORM_HOST, "/"))
    page.get_by_role("link", name="Start selling").first.click()
    page.get_by_label("Mobile number").fill("98765 43210")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code").fill(last_code())
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your name").fill("Kavya Menon")
    page.get_by_label("E-mail").fill("kavya@teagarden.example.com")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Store name").fill("Tea Garden")
    page.get_by_label("Address").fill("7 Hill Road, Darjeeling")
    page.get_by_role("button", name="Create your store").click()
    page.wait_for_url(url("tea-garden.localhost", "/console/"))


def add_product(page, url, tmp_path) -> None:
    picture = tmp_path / "darjeeling.png"
    picture.write_bytes(image_bytes("PNG", size=(120, 120), color=(40, 120, 60)))
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Products").click()
    page.get_by_role("link", name="Add product").first.click()
    page.get_by_label("Name").fill("Darjeeling tea")
    page.get_by_label("Description").fill("First flush, 100 g.")
    page.get_by_label("Category").fill("Tea")
    page.get_by_label("MRP").fill("450")
    page.get_by_label("Sale price").fill("399")
    page.get_by_label("Image").set_input_files(str(picture))
    page.get_by_role("button", name="Add product").click()
    page.wait_for_url(url("tea-garden.localhost", "/console/products/"))
    expect(page.get_by_role("main")).to_contain_text("Darjeeling tea")


def put_widget_on_own_site(page, url, own_site: str) -> None:
    page.goto(url("tea-garden.localhost", "/console/signups/sites/"))
    page.get_by_label("Website name").fill("Tea blog")
    page.get_by_label("Allowed addresses").fill(own_site)
    page.get_by_role("button", name="Add website").click()
    snippet = page.get_by_label("Paste this snippet before </body> on your pages").input_value()
    key = re.search(r'data-site-key="(pk_[^"]+)"', snippet).group(1)
    query = urlencode(
        {"key": key, "platform": url("localhost", ""), "store": url("tea-garden.localhost", "")}
    )
    page.goto(f"{own_site}/store.html?{query}")
    widget = page.locator("[data-seller-suite-widget]")
    widget.get_by_label("E-mail address").fill("reader@example.com")
    widget.get_by_role("button", name="Sign up").click()
    expect(widget.get_by_role("status")).to_have_text("Thanks! Check your inbox soon.")


def buyer_orders_on_a_phone(browser, url) -> tuple[str, int]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    buyer = context.new_page()
    buyer.set_default_timeout(15_000)
    buyer.goto(url("tea-garden.localhost", "/"))
    buyer.get_by_role("button", name="Add Darjeeling tea to cart", exact=True).click()
    buyer.wait_for_function("document.getElementById('cart-count').textContent === '1'")
    buyer.click("[data-testid=cart-link]")
    overflow = sideways_overflow(buyer)
    buyer.click("#go-checkout")
    buyer.fill("#mobile", BUYER_TYPED)
    buyer.click("#send-otp")
    buyer.wait_for_selector("#otp", state="visible")
    buyer.fill("#otp", last_code())
    buyer.click("#verify-otp")
    buyer.wait_for_selector("#address-form", state="visible")
    buyer.fill("#line1", "3 Mall Road")
    buyer.fill("#city", "Darjeeling")
    buyer.fill("#pincode", "734101")
    buyer.click("#place-order")
    buyer.wait_for_selector("#view-order", state="visible")
    number = buyer.inner_text("[data-testid=order-number]")
    context.close()
    return number, overflow


def deliver_the_order(page, url, number: str) -> str:
    page.goto(url("tea-garden.localhost", "/console/orders/"))
    page.get_by_role("link", name=number).first.click()
    for action in ("Accept order", "Mark as shipped", "Mark as delivered"):
        page.get_by_role("button", name=action).click()
        expect(page.get_by_role("button", name=action)).to_have_count(0)
    return page.locator("#order-status").inner_text()


def write_to_a_client(page, url) -> None:
    page.goto(url("tea-garden.localhost", "/console/conversations/"))
    page.get_by_role("link", name="New conversation").click()
    page.get_by_label("Name").fill("Rahul Bose")
    page.get_by_label("E-mail").fill("rahul@example.com")
    page.get_by_label("Timezone").select_option("Asia/Kolkata")
    page.get_by_role("button", name="Start conversation").click()
    page.get_by_role("textbox", name="Message").fill("Hi {{ username }}, your tea is on its way!")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Message saved.")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_new_seller_runs_a_store_from_sign_up_to_a_delivered_order(
    story_server, browser, sellers_own_site, tmp_path
):
    url = lambda host, path: live_url(story_server, host, path)  # noqa: E731
    context = browser.new_context(timezone_id="Asia/Kolkata")
    page = context.new_page()
    page.set_default_timeout(15_000)

    sign_up_and_create_store(page, url)
    add_product(page, url, tmp_path)
    put_widget_on_own_site(page, url, sellers_own_site)
    number, cart_overflow = buyer_orders_on_a_phone(browser, url)
    status = deliver_the_order(page, url, number)
    write_to_a_client(page, url)
    context.close()

    store = Store.objects.get(slug="tea-garden")
    assert (store.owner.mobile, store.timezone) == (SELLER_MOBILE, "Asia/Kolkata")
    assert cart_overflow == 0
    assert status == "Delivered"
    with in_store(store):
        order = Order.objects.get(number=number.removeprefix("#"))  # the page shows "#1001"
        assert (order.status, order.customer.mobile, f"{order.total}") == (
            "delivered",
            BUYER_MOBILE,
            "399.00",
        )
        assert list(Signup.objects.values_list("email", flat=True)) == ["reader@example.com"]
        chat = Chat.objects.select_related("conversation__client").get()
        assert (chat.payload, chat.author_kind, chat.conversation.client.email) == (
            "Hi {{ username }}, your tea is on its way!",
            "operator",
            "rahul@example.com",
        )
