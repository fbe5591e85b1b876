"""The console's Customers section: buyers with their orders; a conversation client with the
buyer's mobile, and a widget signup with that client's e-mail, shown on the same person."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from tenant_apps.conversations.services import client_create
from tenant_apps.orders.models import Customer, Order
from tenant_apps.orders.services import cart_create, cart_line_set, order_place, order_status_set
from tenant_apps.signups.models import Signup
from tests.support.console import console_client
from tests.support.factories import product_make
from tests.support.stores import in_store, store_host

ADDRESS = {"line1": "1 Road", "city": "Pune", "pincode": "411001", "phone": "+919811100001"}
MEERA = "+919811100001"
ROHAN = "+919811100002"


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def place(product, quantity, *, mobile, placed_at, path=()) -> Order:
    customer, _ = Customer.objects.get_or_create(mobile=mobile)
    cart = cart_create()
    cart_line_set(cart=cart, product_id=product.pk, quantity=quantity)
    order, _ = order_place(customer=customer, cart_token=cart.token, address=ADDRESS)
    for status in path:
        order = order_status_set(order=order, status=status)
    Order.objects.filter(pk=order.pk).update(created_at=placed_at)
    return order


@pytest.fixture
def people(store_a):
    """Meera: two orders (one cancelled), a conversation client with her mobile, and a widget
    signup with that client's e-mail. Rohan: one order, known nowhere else."""
    with in_store(store_a):
        tea = product_make("Tea", mrp="120.00", sale_price="100.00")
        meera = Customer.objects.create(mobile=MEERA, name="")
        rohan = Customer.objects.create(mobile=ROHAN, name="Rohan Das")
        first = place(tea, 3, mobile=MEERA, placed_at=datetime(2026, 3, 1, 6, tzinfo=UTC))
        place(tea, 1, mobile=MEERA, placed_at=datetime(2026, 3, 9, 6, tzinfo=UTC),
              path=("cancelled",))  # fmt: skip
        place(tea, 2, mobile=ROHAN, placed_at=datetime(2026, 3, 5, 6, tzinfo=UTC))
        client_create(name="Meera Iyer", email="Meera@Example.com", timezone="Asia/Kolkata",
                      mobile=MEERA)  # fmt: skip
        Signup.objects.create(email="meera@example.com",
                              created_at=datetime(2026, 2, 20, 6, tzinfo=UTC))  # fmt: skip
        Signup.objects.create(email="someone.else@example.com")
    return {"meera": meera, "rohan": rohan, "first_order": first}


def test_the_list_shows_buyers_with_orders_spent_and_their_other_records(store_a, people):
    response = console_client(store_a).get("/console/customers/")

    assert response.status_code == 200
    text = text_of(response)
    # Latest order first; the cancelled order counts as an order but is not money spent.
    assert (
        "Meera Iyer +919811100001 Conversations client: meera@example.com "
        "Signed up 20 Feb 2026 2 ₹300.00 9 Mar 2026"
    ) in text
    assert "Rohan Das +919811100002 1 ₹200.00 5 Mar 2026" in text
    assert text.index("Meera Iyer") < text.index("Rohan Das")
    assert "someone.else@example.com" not in text
    assert 'aria-current="page">Customers</a>' in response.content.decode()


def test_search_finds_a_buyer_by_mobile_or_name(store_a, people):
    client = console_client(store_a)

    by_mobile = text_of(client.get("/console/customers/", {"q": "100002"}))
    by_name = text_of(client.get("/console/customers/", {"q": "rohan"}))
    nobody = text_of(client.get("/console/customers/", {"q": "zzz"}))

    assert "Rohan Das" in by_mobile and "Meera" not in by_mobile
    assert "Rohan Das" in by_name
    assert "No customer matches “zzz”." in nobody


def test_the_customer_page_shows_their_orders_and_the_same_person_elsewhere(store_a, people):
    meera = people["meera"]

    response = console_client(store_a).get(f"/console/customers/{meera.pk}/")

    assert response.status_code == 200
    text = text_of(response)
    number = people["first_order"].number
    assert f"#{number} 1 Mar 2026, 11:30 ₹300.00 Placed" in text
    assert "Cancelled" in text
    assert "Mobile +919811100001 E-mail meera@example.com Orders 2 Spent ₹300.00" in text
    assert "Conversations client Meera Iyer (meera@example.com)" in text
    assert "Signed up through your widget on 20 Feb 2026 as meera@example.com" in text
    assert f'href="/console/orders/{people["first_order"].pk}/"' in response.content.decode()


def test_a_buyer_known_nowhere_else_says_so(store_a, people):
    text = text_of(console_client(store_a).get(f"/console/customers/{people['rohan'].pk}/"))
    assert "Not a conversation client and no widget signup with this mobile or e-mail." in text


def test_no_customers_yet(store_a):
    text = text_of(console_client(store_a).get("/console/customers/"))
    assert "No customers yet: buyers appear here when they sign in at your store link." in text


def test_another_stores_seller_and_anonymous_visitors_get_nothing(store_a, store_b, people):
    stranger = console_client(store_a, seller=store_b.owner)
    anonymous = Client(HTTP_HOST=store_host(store_a))
    for path in ("/console/customers/", f"/console/customers/{people['meera'].pk}/"):
        refused = stranger.get(path)
        assert refused.status_code == 403, path
        assert MEERA not in refused.content.decode()
        sent_away = anonymous.get(path)
        assert sent_away.status_code == 302 and sent_away["Location"].startswith("/login?next=")


def test_a_customer_of_another_store_is_not_found(store_a, store_b):
    with in_store(store_b):
        other = Customer.objects.create(mobile="+919811100099")

    response = console_client(store_a).get(f"/console/customers/{other.pk}/")

    assert response.status_code == 404
    assert "+919811100099" not in response.content.decode()
