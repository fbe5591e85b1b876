"""The shop in the console, in real Chromium: the seller adds a product with a picture, a buyer
on a 390 px phone finds it at the store link and orders it, the seller walks the order from
Placed to Delivered with its buttons and finds the buyer under Customers. Every console page
of the shop, and the storefront's, passes the audit at 1280 and 390 px."""

import importlib
import re

import pytest
from django.db import connection
from django.urls import clear_url_caches
from playwright.sync_api import expect

from shared_apps.accounts import sms
from tenant_apps.catalog.models import Product
from tenant_apps.orders.models import Customer, Order
from tests.support.browser import live_url
from tests.support.factories import image_bytes
from tests.support.pages import audit_passes, console_sign_in, page_audit, sideways_overflow
from tests.support.stores import in_store, store_host

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
BUYER_MOBILE = "+919876500042"


@pytest.fixture
def media_served(settings, tmp_path):
    """Uploads in a temporary folder, served by the app as in development."""
    import saas.urls_tenant

    settings.MEDIA_ROOT = str(tmp_path)
    settings.SERVE_MEDIA = True
    importlib.reload(saas.urls_tenant)  # the media route is added when the URLconf loads
    clear_url_caches()
    yield tmp_path
    settings.SERVE_MEDIA = False
    importlib.reload(saas.urls_tenant)
    clear_url_caches()


def audited(page, url: str, name: str) -> None:
    findings = page_audit(page, url, name)
    assert audit_passes(findings) == {}, name


def add_product(page, url, tmp_path) -> None:
    """The seller's first product, typed into the console's form, with a picture."""
    picture = tmp_path / "pickle.png"
    picture.write_bytes(image_bytes("PNG", size=(120, 120), color=(214, 138, 30)))
    page.goto(url("/console/products/"))
    page.get_by_role("link", name="Add product").click()
    page.get_by_label("Name").fill("Mango pickle")
    page.get_by_label("Description").fill("Raw mango in mustard oil, 400 g.")
    page.get_by_label("Category").fill("Pickles")
    page.get_by_label("MRP").fill("240")
    page.get_by_label("Sale price").fill("250")
    page.get_by_label("Image").set_input_files(str(picture))
    expect(page.locator("#image-preview")).to_be_visible()  # previewed before it is sent
    page.get_by_role("button", name="Add product").click()
    # Refused next to its field, in words; the picture is chosen again with the fix.
    expect(page.locator("#id_sale_price_error")).to_have_text(
        "The sale price cannot be more than the MRP."
    )
    page.get_by_label("Sale price").fill("199")
    page.get_by_label("Image").set_input_files(str(picture))
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_text("“Mango pickle” is added to your shop.")).to_be_visible()
    row = page.locator("#products tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("₹199.00")
    expect(row.locator("img.thumb")).to_have_js_property("naturalWidth", 120)


def buyer_orders_on_a_phone(page, url) -> str:
    """The store link on a phone: the product with its picture, the cart, sign-in with a
    10-digit mobile, the order. Returns the order's number as shown ("#1001")."""
    page.set_viewport_size(PHONE)
    page.goto(url("/"))
    picture = page.get_by_role("img", name="Mango pickle")
    expect(picture).to_have_js_property("naturalWidth", 120)  # the URL keeps the port
    assert page.locator(".price strong").first.inner_text() == "₹199.00"
    page.get_by_role("button", name="Add Mango pickle to cart").click()
    expect(page.locator("#cart-count")).to_have_text("1")
    page.get_by_role("link", name=re.compile(r"^Cart")).click()
    expect(page.locator("[data-testid=cart-total]")).to_have_text("₹199.00")
    assert sideways_overflow(page) == 0
    page.locator("#go-checkout").click()
    page.locator("#mobile").fill("98765 00042")
    page.locator("#send-otp").click()
    expect(page.locator("#otp")).to_be_visible()
    assert sms.outbox[-1]["to"] == BUYER_MOBILE
    page.locator("#otp").fill(re.search(r"(\d{6})$", sms.outbox[-1]["text"]).group(1))
    page.locator("#verify-otp").click()
    expect(page.locator("#address-form")).to_be_visible()
    page.locator("#line1").fill("12 MG Road")
    page.locator("#city").fill("Pune")
    page.locator("#pincode").fill("411001")
    page.locator("#note").fill("Ring twice")
    page.locator("#place-order").click()
    number = page.locator("[data-testid=order-number]")
    expect(number).to_have_text(re.compile(r"#\d+"))
    return number.inner_text()


def seller_delivers(page, url, number: str) -> None:
    """Placed → Accepted → Shipped → Delivered, one button each; nothing else is offered."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url("/console/orders/"))
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=f"Order {number}", level=1)).to_be_visible()
    expect(page.locator("#order-note")).to_have_text("Ring twice")
    expect(page.locator("#buyer-mobile")).to_have_text(BUYER_MOBILE)
    steps = (("Accept order", "Accepted", ["Mark as shipped", "Cancel order"]),
             ("Mark as shipped", "Shipped", ["Mark as delivered"]),
             ("Mark as delivered", "Delivered", []))  # fmt: skip
    for action, status, next_buttons in steps:
        page.get_by_role("button", name=action).click()
        expect(page.locator("#order-status")).to_have_text(status)
        expect(page.get_by_text(f"Order {number} is now {status}.")).to_be_visible()
        buttons = page.locator("#order-status-card button")
        expect(buttons).to_have_count(len(next_buttons))
        assert buttons.all_inner_texts() == next_buttons
    expect(page.get_by_text("This order is delivered: nothing more to do.")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_product_added_in_the_console_is_ordered_and_delivered(
    make_store, live_server, page, media_served, tmp_path
):
    store = make_store("Pickle House", timezone="Asia/Kolkata")
    connection.set_schema_to_public()
    host = store_host(store)

    def url(path: str) -> str:
        return live_url(live_server, host, path)

    console_sign_in(page, live_server, store)
    add_product(page, url, tmp_path)
    number = buyer_orders_on_a_phone(page, url)
    seller_delivers(page, url, number)

    with in_store(store):
        order = Order.objects.get()
        product = Product.objects.select_related("category").get()
        customer = Customer.objects.get()
    assert (f"#{order.number}", order.status, str(order.total)) == (number, "delivered", "199.00")
    assert (product.name, str(product.sale_price), product.category.name) == (
        "Mango pickle", "199.00", "Pickles",
    )  # fmt: skip
    assert customer.mobile == BUYER_MOBILE

    # Every page of the shop, at both widths.
    pages = {
        "shop-overview": "/console/",
        "shop-products": "/console/products/",
        "shop-product-new": "/console/products/new",
        "shop-product-edit": f"/console/products/{product.pk}/",
        "shop-categories": "/console/products/categories",
        "shop-orders": "/console/orders/",
        "shop-order": f"/console/orders/{order.pk}/",
        "shop-customers": "/console/customers/",
        "shop-customer": f"/console/customers/{customer.pk}/",
        "shop-storefront": "/",
        "shop-storefront-cart": "/#/cart",
        "shop-storefront-orders": "/#/orders",
        "shop-storefront-order": f"/#/order/{order.pk}",
    }
    for name, path in pages.items():
        audited(page, url(path), name)
