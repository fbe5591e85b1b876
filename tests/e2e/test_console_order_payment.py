"""The console's order pages in real Chromium, at 1280 and 390 px: the "New" marker and count
on the list, the order page's payment card ("Mark as paid" with a reference, then "Mark as
refunded", swapped in place by htmx) and its notifications list."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from tenant_apps.orders.models import Customer
from tenant_apps.orders.services import cart_create, cart_line_set, order_place
from tests.support.browser import live_url
from tests.support.factories import product_make
from tests.support.pages import audit_passes, console_sign_in, page_audit
from tests.support.stores import in_store, store_host

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ADDRESS = {"line1": "12 MG Road", "city": "Pune", "pincode": "411001", "phone": "+919811100002"}


@pytest.mark.django_db(transaction=True)
def test_new_orders_payment_and_notifications_in_the_browser(
    make_store,
    live_server,
    page,
):
    store = make_store("Pickle House", timezone="Asia/Kolkata")
    # Committed, so the order's messages go out at once (tasks run in-process in tests).
    with in_store(store):
        pickle = product_make("Mango pickle", mrp="240.00", sale_price="199.50")
        customer = Customer.objects.create(mobile="+919876500042")
        cart = cart_create()
        cart_line_set(cart=cart, product_id=pickle.pk, quantity=2)
        order, _ = order_place(customer=customer, cart_token=cart.token, address=ADDRESS,
                               email="meera@example.com")  # fmt: skip
    connection.set_schema_to_public()

    def url(path: str) -> str:
        return live_url(live_server, store_host(store), path)

    console_sign_in(page, live_server, store)
    list_findings = page_audit(page, url("/console/orders/"), "orders-new")
    expect(page.locator("#unseen-orders")).to_have_text(
        "1 new order nobody on your team has opened yet."
    )
    expect(page.locator("#orders tbody tr").first).to_contain_text("Placed New")

    detail_findings = page_audit(page, url(f"/console/orders/{order.pk}/"), "order-payment")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#payment-status")).to_have_text("Pending")
    notes = page.locator("#notifications tbody tr")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text("Order placed · SMS")
    expect(notes.nth(0)).to_contain_text("Sent")
    expect(notes.nth(1)).to_contain_text("meera@example.com")

    page.get_by_label("Payment reference (optional)").fill("UTR 4411")
    page.get_by_role("button", name="Mark as paid").click()
    expect(page.locator("#payment-status")).to_have_text("Paid")
    expect(page.locator("#payment-reference")).to_have_text("UTR 4411")
    expect(page.get_by_text(f"Order #{order.number} is marked as paid.")).to_be_visible()
    paid_findings = page_audit(page, url(f"/console/orders/{order.pk}/"), "order-paid")
    page.get_by_role("button", name="Mark as refunded").click()
    expect(page.locator("#payment-status")).to_have_text("Refunded")
    expect(page.get_by_text("The payment is refunded: nothing more to record.")).to_be_visible()

    page.goto(url("/console/orders/"))
    expect(page.locator("#unseen-orders")).to_have_count(0)  # opened: no longer new
    expect(page.locator("#orders tbody tr").first).not_to_contain_text("New")
    for name, findings in (("list", list_findings), ("detail", detail_findings),
                           ("paid", paid_findings)):  # fmt: skip
        assert audit_passes(findings) == {}, name
