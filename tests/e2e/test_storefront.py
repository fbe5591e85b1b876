"""A buyer in a real headless Chromium: browse the store link, fill a cart, sign in with an
OTP, check out; the seller then sees the order."""

import importlib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import clear_url_caches

from saas.api.authentication import seller_token_pair
from shared_apps.accounts import sms
from tenant_apps.catalog.services import product_create
from tests.support.browser import live_url
from tests.support.factories import image_upload
from tests.support.stores import api_client, in_store, store_host

pytestmark = pytest.mark.slow  # a real browser on a live server

BUYER_MOBILE = "+919876500001"


@pytest.fixture
def media_served(settings, tmp_path):
    """Uploads in a temporary folder, served by the app like in development."""
    import saas.urls_tenant

    settings.MEDIA_ROOT = str(tmp_path)
    settings.SERVE_MEDIA = True
    importlib.reload(saas.urls_tenant)  # the media route is added when the URLconf loads
    clear_url_caches()
    yield tmp_path
    settings.SERVE_MEDIA = False
    importlib.reload(saas.urls_tenant)
    clear_url_caches()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_buyer_checks_out_in_a_browser_and_the_seller_sees_the_order(
    make_store, live_server, page, media_served
):
    store = make_store("Browser shop")
    with in_store(store):
        tea = product_create(
            name="Masala tea",
            category="Drinks",
            mrp=Decimal("50.00"),
            sale_price=Decimal("45.50"),
            image=image_upload("tea.png", "PNG", size=(40, 40), color=(180, 90, 20)),
        )
        cake = product_create(
            name="Plum cake",
            category="Bakery",
            mrp=Decimal("150.00"),
            sale_price=Decimal("120.00"),
            image=image_upload("cake.jpg", "JPEG", size=(40, 40)),
        )
    connection.set_schema_to_public()
    host = store_host(store)

    # The store link shows both categories with their products and images.
    page.goto(live_url(live_server, host, "/"))
    assert page.locator("h1").first.inner_text() == "Browser shop"
    assert page.locator("[data-testid=product]").count() == 2
    page.wait_for_function(
        "Array.from(document.images).length === 2 && "
        "Array.from(document.images).every(i => i.complete && i.naturalWidth === 40)"
    )

    # Two of the tea and one cake.
    tea_button = page.locator(f".add-to-cart[data-product-id='{tea.id}']")
    tea_button.click()
    page.wait_for_function("document.getElementById('cart-count').textContent === '1'")
    tea_button.click()
    page.wait_for_function("document.getElementById('cart-count').textContent === '2'")
    page.locator(f".add-to-cart[data-product-id='{cake.id}']").click()
    page.wait_for_function("document.getElementById('cart-count').textContent === '3'")

    page.click("[data-testid=cart-link]")
    assert page.locator("#cart-lines tr").count() == 2
    assert page.inner_text("[data-testid=cart-total]") == "211.00"

    # Checkout: sign in with the code the SMS carried.
    page.click("#go-checkout")
    page.fill("#mobile", BUYER_MOBILE)
    page.click("#send-otp")
    page.wait_for_selector("#otp", state="visible")
    code = re.search(r"(\d{6})$", sms.outbox[-1]["text"]).group(1)
    page.fill("#otp", code)
    page.click("#verify-otp")
    page.wait_for_selector("#address-form", state="visible")
    page.fill("#line1", "12 MG Road")
    page.fill("#city", "Pune")
    page.fill("#pincode", "411001")
    page.fill("#note", "Leave at the door")
    assert page.input_value("#phone") == BUYER_MOBILE
    page.click("#place-order")

    page.wait_for_selector("#view-confirmation", state="visible")
    number = page.inner_text("[data-testid=order-number]")
    assert page.inner_text("#order-total") == "211.00"
    assert page.inner_text("#cart-count") == "0"

    # The seller finds it in the store's orders.
    seller = api_client(host, jwt=seller_token_pair(store.owner)["access"])
    orders = seller.get("/api/orders").json()["results"]
    assert len(orders) == 1
    order = orders[0]
    assert f"#{order['number']}" == number
    assert order["status"] == "placed"
    assert order["total"] == "211.00"
    assert order["customer"]["mobile"] == BUYER_MOBILE
    assert order["note"] == "Leave at the door"
    assert [(line["name"], line["quantity"]) for line in order["lines"]] == [
        ("Masala tea", 2),
        ("Plum cake", 1),
    ]
