"""Abandoned carts: `GET /api/carts/abandoned` and the console page (Orders > Abandoned carts).

Carts with lines, never ordered, idle longer than ABANDONED_CART_IDLE_MINUTES (60 unless set),
the most recently active first, priced like the buyer's cart answer."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.orders.checkout import cart_discount_set
from tenant_apps.orders.discounts import discount_create
from tenant_apps.orders.models import Cart, Customer, Order
from tenant_apps.orders.services import cart_create, cart_line_set
from tests.support.console import console_client
from tests.support.factories import buyer_client, product_make
from tests.support.stores import api_client, in_store, store_host

URL = "/api/carts/abandoned"
PAGE = "/console/orders/abandoned/"
MONEY = ("subtotal", "discount", "delivery_fee", "tax", "total", "currency")


def _cart(lines, *, idle_minutes: float, code: str = "", status=Cart.Status.OPEN) -> Cart:
    """A cart with `lines` [(product, quantity)], last touched `idle_minutes` ago."""
    cart = cart_create()
    for product, quantity in lines:
        cart_line_set(cart=cart, product_id=product.pk, quantity=quantity)
    if code:
        cart_discount_set(cart=cart, code=code, subtotal=D("0"))
    touched = timezone.now() - timedelta(minutes=idle_minutes)
    Cart.objects.filter(pk=cart.pk).update(last_activity_at=touched, status=status)
    return cart


@pytest.fixture
def carts(store_a, client_a):
    """Delivery 40 below 499 and 18 % added tax; five carts, two of them abandoned."""
    settings = {"delivery_fee": "40", "free_delivery_above": "499", "tax_rate": "18",
                "tax_inclusive": False}  # fmt: skip
    assert client_a.patch("/api/store", settings, format="json").status_code == 200
    with in_store(store_a):
        tea = product_make("Tea", sale_price="45.50", mrp="50.00")
        cake = product_make("Cake", sale_price="120.00", mrp="150.00")
        discount_create(code="TEN", kind="percent", value=D("10"))
        made = {
            "three hours, with TEN": _cart([(tea, 2), (cake, 1)], idle_minutes=180, code="TEN"),
            "two hours": _cart([(cake, 1)], idle_minutes=120),
            "half an hour": _cart([(tea, 1)], idle_minutes=30),
            "empty, a day": _cart([], idle_minutes=24 * 60),
            "ordered, a day": _cart([(tea, 1)], idle_minutes=24 * 60, status=Cart.Status.CONVERTED),
        }
    return {name: cart.pk for name, cart in made.items()}


def test_idle_carts_with_lines_are_listed_newest_first_with_their_totals(client_a, carts):
    body = client_a.get(URL).json()

    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [cart["id"] for cart in body["results"]] == [carts["two hours"],
                                                       carts["three hours, with TEN"]]  # fmt: skip
    newest, oldest = body["results"]
    assert {name: newest[name] for name in MONEY} == {
        "subtotal": "120.00", "discount": "0.00", "delivery_fee": "40.00", "tax": "21.60",
        "total": "181.60", "currency": "INR",
    }  # fmt: skip
    # The docs' example: 211.00 with 10 % off, delivery 40, 18 % added tax.
    assert {name: oldest[name] for name in MONEY} == {
        "subtotal": "211.00", "discount": "21.10", "delivery_fee": "40.00", "tax": "34.18",
        "total": "264.08", "currency": "INR",
    }  # fmt: skip
    assert oldest["discount_code"] == "TEN"
    assert oldest["item_count"] == 3
    assert oldest["lines"] == [
        {"product_id": oldest["lines"][0]["product_id"], "name": "Tea", "unit_price": "45.50",
         "quantity": 2, "line_total": "91.00"},
        {"product_id": oldest["lines"][1]["product_id"], "name": "Cake", "unit_price": "120.00",
         "quantity": 1, "line_total": "120.00"},
    ]  # fmt: skip
    # Carts are anonymous until their order: the buyer is not known yet.
    assert oldest["customer_mobile"] is None
    assert set(oldest) == {"id", "created_at", "last_activity_at", "customer_mobile", "lines",
                           "item_count", "discount_code", *MONEY}  # fmt: skip


def test_the_idle_time_is_a_setting(client_a, carts, settings):
    settings.ABANDONED_CART_IDLE_MINUTES = 20
    shorter = [cart["id"] for cart in client_a.get(URL).json()["results"]]
    settings.ABANDONED_CART_IDLE_MINUTES = 150
    longer = [cart["id"] for cart in client_a.get(URL).json()["results"]]

    assert shorter == [carts["half an hour"], carts["two hours"], carts["three hours, with TEN"]]
    assert longer == [carts["three hours, with TEN"]]


def test_a_cart_with_an_order_is_not_abandoned_whatever_its_status(client_a, store_a, carts):
    with in_store(store_a):
        buyer = Customer.objects.create(mobile="+919811111111")
        Order.objects.create(
            customer=buyer, cart_id=carts["two hours"], total=D("181.60"), address_line1="1 Road",
            address_city="Pune", address_pincode="411001", address_phone="+919811111111",
        )  # fmt: skip

    ids = [cart["id"] for cart in client_a.get(URL).json()["results"]]

    assert ids == [carts["three hours, with TEN"]]


def test_pages_follow_the_standard_pagination(client_a, carts):
    first = client_a.get(URL, {"page_size": 1}).json()
    second = client_a.get(URL, {"page_size": 1, "page": 2}).json()
    refused = client_a.get(URL, {"page_size": 0})

    assert [first["count"], len(first["results"]), first["results"][0]["id"]] == [
        2, 1, carts["two hours"]]  # fmt: skip
    assert first["next"].endswith(f"{URL}?page=2&page_size=1")
    assert second["results"][0]["id"] == carts["three hours, with TEN"]
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid")


def test_staff_see_them_and_nobody_else_does(store_a, store_b, seller_b, carts, client_b):
    staff = Seller.objects.create_user(mobile="+919800000073", name="Mira")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)
    host = store_host(store_a)
    buyer, _ = buyer_client(store_a)

    as_staff = api_client(host, user=staff).get(URL)
    anonymous = api_client(host).get(URL)
    as_buyer = buyer.get(URL)
    other_seller = api_client(host, jwt=seller_token_pair(seller_b)["access"]).get(URL)
    own_store_b = client_b.get(URL)

    assert (as_staff.status_code, as_staff.json()["count"]) == (200, 2)
    assert anonymous.status_code == 401
    assert as_buyer.status_code in (401, 403)
    assert other_seller.status_code == 403
    assert (own_store_b.status_code, own_store_b.json()["count"]) == (200, 0)


# --- the console page ------------------------------------------------------------------------


def _cells(page: str, label: str) -> list[str]:
    found = re.findall(rf'<td data-label="{label}"[^>]*>(.*?)</td>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


def test_the_console_lists_them_with_exact_values(store_a, carts):
    with in_store(store_a):
        Cart.objects.filter(pk=carts["two hours"]).update(
            last_activity_at=datetime(2026, 3, 10, 6, 30, tzinfo=UTC)
        )
        Cart.objects.filter(pk=carts["three hours, with TEN"]).update(
            last_activity_at=datetime(2026, 3, 9, 18, 45, tzinfo=UTC)
        )

    answer = console_client(store_a).get(PAGE)
    page = answer.content.decode()

    assert answer.status_code == 200
    assert _cells(page, "Last active") == ["10 Mar 2026, 12:00", "10 Mar 2026, 00:15"]  # Kolkata
    assert _cells(page, "Buyer") == ["Not signed in", "Not signed in"]
    assert _cells(page, "Products") == ["1 \u00d7 Cake", "2 \u00d7 Tea 1 \u00d7 Cake"]
    assert _cells(page, "Discount code") == ["None", "TEN"]
    assert _cells(page, "Total") == ["₹181.60", "₹264.08"]
    assert "not been touched for more than 1 hour" in page
    assert '<a href="/console/orders/">Orders</a> \u203a Abandoned carts' in page


def test_the_console_says_when_there_are_none(store_a, settings):
    settings.ABANDONED_CART_IDLE_MINUTES = 90

    page = console_client(store_a).get(PAGE).content.decode()

    assert "No abandoned carts: every cart idle for more than 90 minutes" in page


def test_the_console_page_is_for_members_only(store_a, store_b, carts):
    other = console_client(store_a, seller=store_b.owner).get(PAGE)
    anonymous = Client(HTTP_HOST=store_host(store_a)).get(PAGE)

    assert other.status_code in (403, 404)
    assert "Tea" not in other.content.decode()
    assert (anonymous.status_code, "login" in anonymous["Location"]) == (302, True)


def test_the_answer_is_what_the_openapi_schema_documents(client_a, carts):
    from tests.saas.test_openapi_truth import assert_matches_schema

    body = assert_matches_schema(client_a, URL)

    assert body["count"] == 2
    schema = client_a.get("/api/schema/?format=json").json()
    item = schema["components"]["schemas"]["AbandonedCartOutput"]
    assert item["properties"]["total"] == {
        "type": "string",
        "format": "decimal",
        "pattern": item["properties"]["total"]["pattern"],
    }
    assert item["properties"]["customer_mobile"]["nullable"] is True


def test_a_buyer_who_signs_in_with_the_cart_in_hand_is_shown_by_mobile(
    store_a, client_a, carts, settings, redis_clean
):
    settings.OTP_FIXED_CODE = "123456"
    with in_store(store_a):
        idle = _cart([(product_make("Jam", sale_price="80.00", mrp="80.00"), 1)], idle_minutes=90)
    buyer = api_client(store_host(store_a))
    signed_in = buyer.post(
        "/api/customers/otp/verify",
        {"mobile": "+919812345678", "otp": "123456"},
        format="json",
        HTTP_X_CART_TOKEN=idle.token,
    )
    # A token that names no cart of this store claims nothing and the sign-in still works.
    stale = buyer.post(
        "/api/customers/otp/verify",
        {"mobile": "+919812345679", "otp": "123456"},
        format="json",
        HTTP_X_CART_TOKEN="no-such-cart",
    )

    assert (signed_in.status_code, stale.status_code) == (200, 200)
    mobiles = {c["id"]: c["customer_mobile"] for c in client_a.get(URL).json()["results"]}
    assert mobiles == {
        idle.pk: "+919812345678",
        carts["two hours"]: None,
        carts["three hours, with TEN"]: None,
    }
