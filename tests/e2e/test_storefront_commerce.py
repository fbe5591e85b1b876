"""A buyer in a real headless Chromium pays less with a percent code and pays by UPI: the cart's
discount-code field (each refusal in plain words), the totals with delivery and included tax,
the payment choice of the store's methods, the QR code and UPI link on the confirmation, the
payment status once the seller records it. Audited at 1280 px and 390 px (axe, no sideways
scroll), with screenshots in .screenshots/."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from saas.api.authentication import seller_token_pair
from shared_apps.accounts import sms
from tenant_apps.catalog.models import Product
from tenant_apps.orders.discounts import discount_create
from tenant_apps.orders.models import Cart, DiscountCode, Order
from tenant_apps.orders.services import cart_create, cart_line_set
from tests.support.browser import live_url
from tests.support.factories import product_make
from tests.support.pages import audit_passes, console_sign_in, page_audit, sideways_overflow
from tests.support.stores import api_client, in_store, store_host

pytestmark = pytest.mark.slow  # a real browser on a live server

PHONE = {"width": 390, "height": 844}
BUYER = "+919876500002"
SETTINGS = {"delivery_fee": "40", "free_delivery_above": "499", "tax_rate": "18",
            "tax_inclusive": True, "cod_enabled": True, "upi_id": "payshop@okhdfc"}  # fmt: skip
# The refusals, typed code -> the words next to the field.
REFUSALS = {
    "NOPE": "This code is not valid in this shop. Check the spelling, or ask the shop for a "
    "current code.",
    "OLD": "This code has expired.",
    "GONE": "This code has been used up.",
    "BIG": "This code needs an order of at least ₹500.00. Add ₹289.00 more to use it.",
}
# A code given to one client: an anonymous cart takes it, the order (signed in) refuses it.
NOT_YOURS = ("This code was given to another customer, so it cannot be used here. Remove the "
             "code in your cart to order without it.")  # fmt: skip


def _shop(store) -> None:
    seller = api_client(store_host(store), jwt=seller_token_pair(store.owner)["access"])
    assert seller.patch("/api/store", SETTINGS, format="json").status_code == 200
    with in_store(store):
        product_make("Mango pickle", category="Pickles", sale_price="120.00", mrp="150.00")
        product_make("Masala tea", category="Drinks", sale_price="45.50", mrp="50.00")
        discount_create(code="TEN", kind="percent", value=10)
        discount_create(code="BIG", kind="amount", value=100, min_subtotal=500)
        discount_create(code="ASHA", kind="percent", value=20, only_for_mobile="+919800000999")
        discount_create(code="GONE", kind="amount", value=10, max_uses=1)
        discount_create(code="OLD", kind="amount", value=10)
        # A code that has run out and one that has ended (no order or date can be made so).
        DiscountCode.objects.filter(code="GONE").update(uses_count=1)
        DiscountCode.objects.filter(code="OLD").update(ends_at=timezone.now() - timedelta(1))
    connection.set_schema_to_public()


def _totals(page, list_id: str) -> dict:
    return page.evaluate(
        """id => Object.fromEntries(Array.from(document.querySelectorAll(`#${id} dd`))
             .map(dd => [dd.previousElementSibling.textContent, dd.textContent]))""",
        list_id,
    )


def _apply(page, code: str) -> None:
    page.fill("#discount-code", code)
    page.get_by_role("button", name="Apply code").click()


def _cart_with_code(page) -> None:
    for name, count in (("Mango pickle", "1"), ("Masala tea", "2"), ("Masala tea", "3")):
        page.get_by_role("button", name=f"Add {name} to cart", exact=True).click()
        page.wait_for_function(
            "n => document.getElementById('cart-count').textContent === n", arg=count
        )
    page.click("[data-testid=cart-link]")
    page.wait_for_selector("#discount-form", state="visible")
    assert _totals(page, "cart-totals") == {
        "Subtotal": "₹211.00", "Delivery": "₹40.00", "Tax": "includes ₹32.19 tax",
    }  # fmt: skip
    assert page.inner_text("#cart-total") == "₹251.00"
    for code, words in REFUSALS.items():
        _apply(page, code)
        page.wait_for_function(
            "w => document.getElementById('discount-code-error').textContent === w", arg=words
        )
        assert page.get_attribute("#discount-code", "aria-invalid") == "true"
        assert page.locator("#discount-applied").is_hidden()
    _apply(page, "asha")
    page.wait_for_selector("#discount-applied", state="visible")
    assert page.locator("#discount-code-error").is_hidden()
    assert page.inner_text("#discount-applied-text") == "Code ASHA applied: you save ₹42.20."
    assert page.inner_text("#cart-total") == "₹208.80"


def _a_code_not_yours_is_refused_at_the_order(page, store) -> None:
    page.fill("#line1", "12 MG Road")
    page.fill("#city", "Pune")
    page.fill("#pincode", "411001")
    page.click("#place-order")
    page.wait_for_selector("#flash.error", state="visible")
    assert page.inner_text("#flash") == NOT_YOURS
    with in_store(store):
        assert not Order.objects.exists()
    connection.set_schema_to_public()


def _code_changed_in_the_cart(page) -> None:
    page.click("[data-testid=cart-link]")
    page.get_by_role("button", name="Remove code ASHA").click()
    page.wait_for_selector("#discount-applied", state="hidden")
    page.wait_for_function("document.getElementById('cart-total').textContent === '₹251.00'")
    _apply(page, " ten ")
    page.wait_for_selector("#discount-applied", state="visible")
    assert page.inner_text("#discount-applied-text") == "Code TEN applied: you save ₹21.10."
    assert _totals(page, "cart-totals") == {
        "Subtotal": "₹211.00", "Discount (TEN)": "\u2212₹21.10", "Delivery": "₹40.00",
        "Tax": "includes ₹28.97 tax",
    }  # fmt: skip
    assert page.inner_text("#cart-total") == "₹229.90"


def _sign_in(page) -> None:
    page.click("#go-checkout")
    page.fill("#mobile", BUYER[3:])
    page.click("#send-otp")
    page.wait_for_selector("#otp", state="visible")
    page.fill("#otp", re.search(r"(\d{6})$", sms.outbox[-1]["text"]).group(1))
    page.click("#verify-otp")
    page.wait_for_selector("#address-form", state="visible")


def _checkout_with_upi(page) -> None:
    assert _totals(page, "checkout-totals") == {
        "Subtotal": "₹211.00", "Discount (TEN)": "\u2212₹21.10", "Delivery": "₹40.00",
        "Tax": "includes ₹28.97 tax",
    }  # fmt: skip
    assert page.inner_text("#checkout-total") == "₹229.90"
    page.get_by_label("UPI: pay now with any UPI app").check()
    page.click("#place-order")
    page.wait_for_selector("#view-order", state="visible")


def _confirmation(page) -> str:
    assert page.locator("#order-thanks").is_visible()
    number = page.inner_text("#order-number").lstrip("#")
    assert page.inner_text("#order-total") == "₹229.90"
    assert _totals(page, "order-totals") == {
        "Subtotal": "₹211.00", "Discount (TEN)": "\u2212₹21.10", "Delivery": "₹40.00",
        "Tax": "includes ₹28.97 tax",
    }  # fmt: skip
    assert page.inner_text("#order-payment-method") == "UPI"
    assert page.inner_text("#order-payment-status") == "Waiting for your payment"
    assert page.inner_text("#upi-title") == "Pay ₹229.90 with UPI"
    link = page.get_by_role("link", name="Pay with a UPI app")
    assert link.get_attribute("href") == (
        f"upi://pay?pa=payshop@okhdfc&pn=Pay%20shop&am=229.90&cu=INR&tn=Order%20{number}"
    )
    qr = page.locator("#upi-qr svg")
    assert qr.locator("title").text_content() == "UPI payment QR code"
    box = qr.bounding_box()
    assert 150 <= box["width"] <= 240 and box["width"] == box["height"]
    assert sideways_overflow(page) == 0
    return number


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_buyer_uses_a_percent_code_and_pays_by_upi(make_store, live_server, page):
    store = make_store("Pay shop")
    _shop(store)
    host = store_host(store)
    page.set_viewport_size(PHONE)
    page.goto(live_url(live_server, host, "/"))

    _cart_with_code(page)
    _sign_in(page)
    choices = page.locator("#payment_method input[type=radio]")
    assert [choices.nth(i).get_attribute("value") for i in range(choices.count())] == ["cod", "upi"]
    assert page.get_by_label("Cash on delivery").is_checked()
    _a_code_not_yours_is_refused_at_the_order(page, store)
    _code_changed_in_the_cart(page)
    cart_url = live_url(live_server, host, "/#/cart")
    assert audit_passes(page_audit(page, cart_url, "storefront-cart-discount")) == {}
    checkout_url = live_url(live_server, host, "/#/checkout")
    assert audit_passes(page_audit(page, checkout_url, "storefront-checkout-payment")) == {}
    page.set_viewport_size(PHONE)
    page.goto(checkout_url)
    page.wait_for_selector("#address-form", state="visible")
    page.fill("#line1", "12 MG Road")
    page.fill("#city", "Pune")
    page.fill("#pincode", "411001")
    page.fill("#phone", BUYER[3:])
    page.get_by_label("E-mail for order updates (optional)").fill("asha@example.com")
    _checkout_with_upi(page)
    number = _confirmation(page)
    with in_store(store):
        assert Order.objects.get(number=number).email == "asha@example.com"
    order_url = page.url
    assert audit_passes(page_audit(page, order_url, "storefront-order-upi")) == {}

    # The seller sees what the buyer chose and records the payment; the buyer's page says so.
    seller = api_client(host, jwt=seller_token_pair(store.owner)["access"])
    order = seller.get("/api/orders").json()["results"][0]
    assert (order["number"], order["discount_code"], order["discount"], order["tax"],
            order["total"], order["payment_method"], order["payment_status"]) == (
        number, "TEN", "21.10", "28.97", "229.90", "upi", "pending")  # fmt: skip
    paid = seller.post(f"/api/orders/{order['id']}/payment", {"status": "paid"}, format="json")
    assert paid.status_code == 200
    page.reload()
    page.wait_for_function("document.getElementById('order-payment-status').textContent === 'Paid'")
    assert page.locator("#order-upi").is_hidden()

    # A store without cash on delivery offers UPI only.
    assert seller.patch("/api/store", {"cod_enabled": False}, format="json").status_code == 200
    page.goto(live_url(live_server, host, "/#/checkout"))
    page.reload()  # the page is server-rendered with the store's methods
    page.wait_for_selector("#address-form", state="visible")
    choices = page.locator("#payment_method input[type=radio]")
    assert choices.count() == 1
    assert page.get_by_label("UPI: pay now with any UPI app").is_checked()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_abandoned_carts_page_fits_a_phone_and_a_desktop(make_store, live_server, page):
    store = make_store("Idle shop")
    _shop(store)
    with in_store(store):
        tea = Product.objects.get(name="Masala tea")
        for quantity in (1, 3):
            cart = cart_line_set(cart=cart_create(), product_id=tea.pk, quantity=quantity)
            Cart.objects.filter(pk=cart.pk).update(last_activity_at=cart.created_at - timedelta(1))
    connection.set_schema_to_public()
    console_sign_in(page, live_server, store)

    url = live_url(live_server, store_host(store), "/console/orders/abandoned/")
    assert audit_passes(page_audit(page, url, "console-abandoned-carts")) == {}
    assert page.locator("#abandoned-carts tbody tr").count() == 2
    totals = page.locator("#abandoned-carts td[data-label=Total]").all_inner_texts()
    assert totals == ["₹176.50", "₹85.50"]  # 3 x 45.50 + 40 delivery; 45.50 + 40
