"""The console's Orders section: the list by status (number, date in the store's timezone,
buyer, total with its currency sign, status), the order page (lines, address, mobile, note) with
one button per allowed next status, the Overview's figures; the store admin's order page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tenant_apps.orders.models import Customer, Order
from tenant_apps.orders.services import (
    cart_create,
    cart_line_set,
    order_place,
    order_status_set,
)
from tests.support.console import console_client
from tests.support.factories import product_make
from tests.support.stores import in_store, store_host

ADDRESS = {"line1": "12 MG Road", "line2": "Flat 4", "city": "Pune", "pincode": "411001",
           "phone": "+919811100002"}  # fmt: skip


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def place(lines, *, mobile="+919811100001", name="", note="", placed_at=None, path=()) -> Order:
    """An order placed through the services (inside a store): lines are (product, quantity)."""
    customer, _ = Customer.objects.get_or_create(mobile=mobile, defaults={"name": name})
    cart = cart_create()
    for product, quantity in lines:
        cart_line_set(cart=cart, product_id=product.pk, quantity=quantity)
    order, _ = order_place(customer=customer, cart_token=cart.token, address=ADDRESS, note=note)
    for status in path:
        order = order_status_set(order=order, status=status)
    if placed_at is not None:
        Order.objects.filter(pk=order.pk).update(created_at=placed_at)
    return Order.objects.get(pk=order.pk)


def status_buttons(response) -> list[str]:
    return re.findall(r'name="status" value="(\w+)">\s*<button type="submit"[^>]*>([^<]+)<', (
        response.content.decode()
    ))  # fmt: skip


@pytest.fixture
def shop(store_a):
    with in_store(store_a):
        return {
            "pickle": product_make("Mango pickle", mrp="240.00", sale_price="199.50"),
            "kurta": product_make("Cotton kurta", mrp="1499.00", sale_price="1199.00"),
        }


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_number_local_date_buyer_total_and_status(store_a, shop):
    # 20:00 UTC is 01:30 the next day in Kolkata, the store's timezone.
    with in_store(store_a):
        order = place([(shop["pickle"], 2), (shop["kurta"], 1)], name="Meera Iyer",
                      placed_at=datetime(2026, 3, 4, 20, 0, tzinfo=UTC))  # fmt: skip

    response = console_client(store_a).get("/console/orders/")

    assert response.status_code == 200
    text = text_of(response)
    assert f"#{order.number} 5 Mar 2026, 01:30 Meera Iyer +919811100001 ₹1,598.00 Placed" in text
    assert "Times in Asia/Kolkata." in text
    assert 'aria-current="page">Orders</a>' in response.content.decode()


def test_the_list_filters_by_status_with_counts(store_a, shop):
    with in_store(store_a):
        placed = place([(shop["pickle"], 1)])
        shipped = place([(shop["kurta"], 1)], mobile="+919811100003", path=("accepted", "shipped"))
    client = console_client(store_a)

    everything = text_of(client.get("/console/orders/"))
    only_shipped = client.get("/console/orders/", {"status": "shipped"})
    none_delivered = text_of(client.get("/console/orders/", {"status": "delivered"}))
    odd = client.get("/console/orders/", {"status": "<script>"})

    assert "All (2) Placed (1) Accepted (0) Shipped (1) Delivered (0) Cancelled (0)" in everything
    assert f"#{shipped.number}" in text_of(only_shipped)
    assert f"#{placed.number}" not in text_of(only_shipped)
    assert 'aria-current="true">Shipped' in only_shipped.content.decode()
    assert "No delivered orders. Show all orders" in none_delivered
    assert odd.status_code == 200 and f"#{placed.number}" in text_of(odd)


def test_the_list_has_pages(store_a, shop):
    with in_store(store_a):
        for number in range(27):
            place([(shop["pickle"], 1)], mobile=f"+9198111{number:05d}")
    client = console_client(store_a)

    first = client.get("/console/orders/")
    second = client.get("/console/orders/", {"page": "2"})

    assert first.content.decode().count('data-label="Order"') == 25
    assert "Page 1 of 2" in text_of(first)
    assert second.content.decode().count('data-label="Order"') == 2


def test_a_store_without_orders_is_told_to_share_its_link(store_a):
    text = text_of(console_client(store_a).get("/console/orders/"))
    assert f"No orders yet. Share your store link, {store_a.link}" in text


# --- the order page -------------------------------------------------------------------------


def test_the_order_page_shows_lines_address_mobile_note_and_the_next_steps(store_a, shop):
    with in_store(store_a):
        order = place([(shop["pickle"], 2), (shop["kurta"], 1)], name="Meera Iyer",
                      note="Ring twice, please.")  # fmt: skip

    response = console_client(store_a).get(f"/console/orders/{order.pk}/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Mango pickle ₹199.50 2 ₹399.00" in text
    assert "Cotton kurta ₹1,199.00 1 ₹1,199.00" in text
    assert "Order total ₹1,598.00" in text
    assert "12 MG Road Flat 4 Pune 411001" in text
    assert "Phone: +919811100002" in text
    assert "Mobile +919811100001" in text
    assert "Ring twice, please." in text
    assert status_buttons(response) == [("accepted", "Accept order"), ("cancelled", "Cancel order")]


@pytest.mark.parametrize(
    ("path", "buttons"),
    [
        (("accepted",), [("shipped", "Mark as shipped"), ("cancelled", "Cancel order")]),
        (("accepted", "shipped"), [("delivered", "Mark as delivered")]),
        (("accepted", "shipped", "delivered"), []),
        (("cancelled",), []),
    ],
)
def test_only_the_allowed_next_statuses_have_buttons(store_a, shop, path, buttons):
    with in_store(store_a):
        order = place([(shop["pickle"], 1)], path=path)

    response = console_client(store_a).get(f"/console/orders/{order.pk}/")

    assert status_buttons(response) == buttons
    if not buttons:
        assert "nothing more to do." in text_of(response)


def test_the_buttons_walk_an_order_from_placed_to_delivered(store_a, shop):
    with in_store(store_a):
        order = place([(shop["pickle"], 1)])
    client = console_client(store_a)

    for status, words in (("accepted", "Accepted"), ("shipped", "Shipped"),
                          ("delivered", "Delivered")):  # fmt: skip
        response = client.post(f"/console/orders/{order.pk}/status", {"status": status})
        assert (response.status_code, response["Location"]) == (302, f"/console/orders/{order.pk}/")
        page = text_of(client.get(f"/console/orders/{order.pk}/"))
        assert f"Order #{order.number} is now {words}." in page
    with in_store(store_a):
        assert Order.objects.get(pk=order.pk).status == "delivered"


def test_htmx_gets_the_status_card_alone_with_its_message(store_a, shop):
    with in_store(store_a):
        order = place([(shop["pickle"], 1)])

    response = console_client(store_a).post(
        f"/console/orders/{order.pk}/status", {"status": "accepted"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section class="card next-steps" id="order-status-card"')
    assert "<!doctype" not in html
    assert f"Order #{order.number} is now Accepted." in text_of(response)
    assert status_buttons(response) == [
        ("shipped", "Mark as shipped"),
        ("cancelled", "Cancel order"),
    ]


@pytest.mark.parametrize("status", ["delivered", "shipped", "placed", "refunded", ""])
def test_a_jump_the_api_refuses_is_refused_here_and_changes_nothing(store_a, shop, status):
    with in_store(store_a):
        order = place([(shop["pickle"], 1)])
    client = console_client(store_a)

    response = client.post(f"/console/orders/{order.pk}/status", {"status": status})

    assert response.status_code == 302
    assert "is placed: it cannot become" in text_of(client.get(f"/console/orders/{order.pk}/"))
    with in_store(store_a):
        assert Order.objects.get(pk=order.pk).status == "placed"


def test_staff_move_orders_too(store_a, shop):
    from shared_apps.accounts.models import Seller, StoreMembership

    staff = Seller.objects.create_user(mobile="+919800000091", name="Ravi")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)
    with in_store(store_a):
        order = place([(shop["pickle"], 1)])

    response = console_client(store_a, seller=staff).post(
        f"/console/orders/{order.pk}/status", {"status": "accepted"}
    )

    assert response.status_code == 302
    with in_store(store_a):
        assert Order.objects.get(pk=order.pk).status == "accepted"


def test_another_stores_seller_and_anonymous_visitors_get_nothing(store_a, store_b, shop):
    with in_store(store_a):
        order = place([(shop["pickle"], 1)], note="SECRET-NOTE")
    stranger = console_client(store_a, seller=store_b.owner)
    anonymous = Client(HTTP_HOST=store_host(store_a))
    for path in ("/console/orders/", f"/console/orders/{order.pk}/"):
        refused = stranger.get(path)
        assert refused.status_code == 403, path
        assert "SECRET-NOTE" not in refused.content.decode()
        sent_away = anonymous.get(path)
        assert sent_away.status_code == 302 and sent_away["Location"].startswith("/login?next=")
    assert (
        stranger.post(f"/console/orders/{order.pk}/status", {"status": "accepted"}).status_code
        == 403
    )
    with in_store(store_a):
        assert Order.objects.get(pk=order.pk).status == "placed"


def test_an_order_of_another_store_is_not_found(store_a, store_b, shop):
    with in_store(store_b):
        other = place([(product_make("Beta tea"), 1)])

    client = console_client(store_a)

    assert client.get(f"/console/orders/{other.pk}/").status_code == 404
    assert (
        client.post(f"/console/orders/{other.pk}/status", {"status": "accepted"}).status_code == 404
    )


# --- the Overview ---------------------------------------------------------------------------


def test_the_overview_counts_todays_orders_and_the_months_revenue(store_a, shop):
    now = timezone.now()
    with in_store(store_a):
        place([(shop["pickle"], 2)])  # ₹399.00, today
        place([(shop["kurta"], 1)], path=("cancelled",))  # not revenue
        # Long ago: neither today nor this month.
        place([(shop["kurta"], 1)], placed_at=now - timedelta(days=70))

    response = console_client(store_a).get("/console/")

    text = text_of(response)
    assert "Orders today 1 ₹399.00 today" in text
    assert "Revenue this month ₹399.00 1 order this month" in text
    assert response.content.decode().count('href="/console/orders/"') >= 2


def test_the_share_your_link_step_shows_the_link_until_the_first_order(store_a, shop):
    client = console_client(store_a)
    before = client.get("/console/").content.decode()
    with in_store(store_a):
        place([(shop["pickle"], 1)])
    after = client.get("/console/").content.decode()

    assert f'<a href="{store_a.link}">Share your store link: {store_a.link}</a>' in before
    assert f"<span>Share your store link: {store_a.link}</span>" in after


# --- the store admin's order page --------------------------------------------------------------


def test_the_admin_order_page_shows_the_lines_read_only_in_the_stores_time(store_a, shop):
    with in_store(store_a):
        order = place([(shop["pickle"], 2)], placed_at=datetime(2026, 3, 4, 20, 0, tzinfo=UTC))

    response = console_client(store_a).get(f"/admin/orders/order/{order.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Mango pickle" in text and "399.00" in text
    assert "Add another Order line" not in text
    assert 'name="lines-0-quantity"' not in html  # shown, not editable
    assert "March 5, 2026, 1:30 a.m." in text  # 20:00 UTC in Kolkata
    options = re.findall(
        r'<option value="(\w+)"', html.split('name="status"', 1)[1].split("</select>")[0]
    )
    assert options == ["placed", "accepted", "cancelled"]


def test_the_admin_refuses_a_jump_from_placed_to_delivered(store_a, shop):
    with in_store(store_a):
        order = place([(shop["pickle"], 1)])
    client = console_client(store_a)

    url = f"/admin/orders/order/{order.pk}/change/"
    hidden = dict(
        re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', client.get(url).content.decode()
        )
    )  # the inline's management form, as the browser sends it

    jump = client.post(url, {**hidden, "status": "delivered"})
    step = client.post(url, {**hidden, "status": "accepted"})

    assert jump.status_code == 200  # the form again, with the refusal
    assert "Select a valid choice." in text_of(jump)
    assert step.status_code == 302
    with in_store(store_a):
        assert Order.objects.get(pk=order.pk).status == "accepted"
