"""The console's side of order notifications and payment: unseen orders (count, "New" marker,
Overview card; opening an order marks it seen for the whole store), "Mark as paid" / "Mark as
refunded" with an optional reference, and the order's notifications list."""

import re
from datetime import UTC, datetime

import pytest

from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.orders.models import Customer, Order, OrderNotification
from tenant_apps.orders.services import cart_create, cart_line_set, order_place
from tests.support.console import console_client
from tests.support.factories import product_make
from tests.support.stores import in_store

ADDRESS = {"line1": "12 MG Road", "city": "Pune", "pincode": "411001", "phone": "+919811100002"}


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def place(product, *, mobile="+919811100001", email="") -> Order:
    customer, _ = Customer.objects.get_or_create(mobile=mobile)
    cart = cart_create()
    cart_line_set(cart=cart, product_id=product.pk, quantity=1)
    return order_place(customer=customer, cart_token=cart.token, address=ADDRESS, email=email)[0]


@pytest.fixture
def orders(store_a):
    with in_store(store_a):
        pickle = product_make("Mango pickle", mrp="240.00", sale_price="199.50")
        return [place(pickle, email="meera@example.com"), place(pickle, mobile="+919811100003")]


@pytest.fixture
def staff_a(store_a):
    staff = Seller.objects.create_user(mobile="+919800000091", name="Ravi")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)
    return staff


def test_new_orders_are_counted_marked_and_seen_once_any_member_opens_them(
    store_a, orders, staff_a
):
    first, second = orders
    owner = console_client(store_a)

    before = owner.get("/console/orders/")
    overview = text_of(owner.get("/console/"))
    opened = console_client(store_a, seller=staff_a).get(f"/console/orders/{first.pk}/")
    after = owner.get("/console/orders/")

    assert "2 new orders nobody on your team has opened yet." in text_of(before)
    assert text_of(before).count("Placed New") == 2
    assert "New orders 2 not opened yet" in overview
    assert opened.status_code == 200
    assert "1 new order nobody on your team has opened yet." in text_of(after)
    assert text_of(after).count("Placed New") == 1
    row = re.search(rf"#{second.number}</a>.*?</tr>", after.content.decode(), re.S).group(0)
    assert 'class="status new">New<' in row  # the one nobody opened
    with in_store(store_a):
        seen = dict(Order.objects.values_list("pk", "seen_at"))
    assert seen[first.pk] is not None and seen[second.pk] is None

    owner.get(f"/console/orders/{first.pk}/")  # opened again: the first moment stays
    with in_store(store_a):
        assert Order.objects.get(pk=first.pk).seen_at == seen[first.pk]


def test_the_api_reading_an_order_does_not_mark_it_seen(store_a, orders, client_a):
    assert client_a.get(f"/api/orders/{orders[0].pk}").status_code == 200
    with in_store(store_a):
        assert Order.objects.filter(seen_at__isnull=True).count() == 2


def test_the_order_page_records_paid_with_a_reference_then_refunded(store_a, orders):
    order = orders[0]
    client = console_client(store_a)
    url = f"/console/orders/{order.pk}/payment"

    page = client.get(f"/console/orders/{order.pk}/")
    paid = client.post(url, {"status": "paid", "reference": " UTR 4411 "}, follow=True)
    refunded = client.post(url, {"status": "refunded"}, follow=True)

    assert "Payment: Pending" in text_of(page)
    assert "Method Cash on delivery Amount ₹199.50" in text_of(page)
    assert 'for="reference-paid">Payment reference (optional)</label>' in page.content.decode()
    assert ">Mark as paid</button>" in page.content.decode()
    assert "Mark as refunded" not in text_of(page)
    assert f"Order #{order.number} is marked as paid." in text_of(paid)
    assert "Payment: Paid" in text_of(paid) and "Reference UTR 4411" in text_of(paid)
    assert ">Mark as refunded</button>" in paid.content.decode()
    assert f"Order #{order.number} is marked as refunded." in text_of(refunded)
    assert "The payment is refunded: nothing more to record." in text_of(refunded)
    with in_store(store_a):
        order = Order.objects.get(pk=order.pk)
    assert (order.payment_status, order.payment_reference) == ("refunded", "UTR 4411")


def test_a_refund_before_payment_is_refused_in_words_and_changes_nothing(store_a, orders):
    order = orders[0]
    client = console_client(store_a)

    refused = client.post(f"/console/orders/{order.pk}/payment", {"status": "refunded"},
                          follow=True)  # fmt: skip
    too_long = client.post(
        f"/console/orders/{order.pk}/payment", {"status": "paid", "reference": "x" * 101},
        follow=True,
    )  # fmt: skip

    assert (
        f"The payment of order #{order.number} is pending: it cannot become refunded."
        in text_of(refused)
    )
    assert "The payment reference can be 100 characters at most." in text_of(too_long)
    with in_store(store_a):
        order = Order.objects.get(pk=order.pk)
    assert (order.payment_status, order.payment_reference, order.payment_recorded_at) == (
        "pending", "", None,
    )  # fmt: skip


def test_the_payment_button_with_htmx_swaps_the_payment_card_alone(store_a, orders):
    order = orders[0]

    response = console_client(store_a).post(
        f"/console/orders/{order.pk}/payment", {"status": "paid"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="order-payment-card"')
    assert f"Order #{order.number} is marked as paid." in text_of(response)
    assert "<html" not in html


def test_the_order_page_lists_its_notifications(store_a, orders):
    order = orders[0]
    with in_store(store_a):
        OrderNotification.objects.filter(order=order, channel="sms").update(
            status="sent", sent_at=datetime(2026, 3, 5, 4, 30, tzinfo=UTC)
        )
        OrderNotification.objects.filter(order=order, audience="member").update(status="failed")

    text = text_of(console_client(store_a).get(f"/console/orders/{order.pk}/"))

    assert "Notifications Message To Status Sent" in text
    # Sent times in the store's timezone (Kolkata: 04:30 UTC is 10:00).
    assert "Order placed · SMS +919811100001 Sent 5 Mar 2026, 10:00" in text
    assert "Order placed · E-mail meera@example.com Pending Not yet" in text
    assert "Mobile +919811100001 E-mail meera@example.com" in text  # the buyer card


def test_a_foreign_order_or_payment_is_not_found(store_a, orders):
    client = console_client(store_a)

    missing = client.get("/console/orders/99999/")
    payment = client.post("/console/orders/99999/payment", {"status": "paid"})
    wrong_method = client.get(f"/console/orders/{orders[0].pk}/payment")

    assert (missing.status_code, payment.status_code, wrong_method.status_code) == (404, 404, 405)
