"""Cart and order totals with the store's delivery and tax settings, and the cart's
discount code (exact amounts; the rules are tenant_apps/orders/pricing.py)."""

import pytest

from tenant_apps.orders.models import DiscountUse, Order
from tests.support.factories import buyer_client, product_make
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {"line1": "1 Road", "city": "Pune", "pincode": "411001", "phone": "9811111111"}
TOTALS = ("subtotal", "discount", "delivery_fee", "tax", "total", "currency")


def _totals(body) -> dict:
    return {name: body[name] for name in TOTALS}


@pytest.fixture
def shop(store_a, client_a):
    """Tea 45.50 x 2 and Cake 120.00 x 1 (subtotal 211.00); delivery 40 below 499; 18% tax
    added on top."""
    settings = {
        "delivery_fee": "40",
        "free_delivery_above": "499",
        "tax_rate": "18",
        "tax_inclusive": False,
    }
    assert client_a.patch("/api/store", settings, format="json").status_code == 200
    with in_store(store_a):
        tea = product_make("Tea", sale_price="45.50", mrp="50.00")
        cake = product_make("Cake", sale_price="120.00", mrp="150.00")
    cart = api_client(store_host(store_a))
    token = cart.post("/api/cart").json()["token"]
    cart.credentials(HTTP_X_CART_TOKEN=token)
    for product, quantity in ((tea, 2), (cake, 1)):
        cart.put("/api/cart/items", {"product_id": product.id, "quantity": quantity}, format="json")
    return cart, token


def _code(client_a, **fields):
    body = {"code": "TEN", "kind": "percent", "value": "10"} | fields
    response = client_a.post("/api/discounts", body, format="json")
    assert response.status_code == 201, response.json()


def test_the_cart_carries_delivery_and_added_tax(shop):
    cart, _ = shop

    body = cart.get("/api/cart").json()

    assert _totals(body) == {
        "subtotal": "211.00", "discount": "0.00", "delivery_fee": "40.00", "tax": "37.98",
        "total": "288.98", "currency": "INR",
    }  # fmt: skip
    assert body["discount_code"] == ""


def test_inclusive_tax_is_shown_not_added_and_delivery_is_free_at_the_threshold(shop, client_a):
    cart, _ = shop
    client_a.patch(
        "/api/store", {"tax_inclusive": True, "free_delivery_above": "211.00"}, format="json"
    )

    body = cart.get("/api/cart").json()

    assert _totals(body) == {
        "subtotal": "211.00", "discount": "0.00", "delivery_fee": "0.00", "tax": "32.19",
        "total": "211.00", "currency": "INR",
    }  # fmt: skip


def test_one_cent_below_the_threshold_pays_delivery(shop, client_a):
    cart, _ = shop
    client_a.patch("/api/store", {"free_delivery_above": "211.01"}, format="json")

    assert cart.get("/api/cart").json()["delivery_fee"] == "40.00"


def test_a_percent_code_on_the_cart_and_on_the_order(shop, client_a, store_a):
    cart, token = shop
    _code(client_a)

    applied = cart.post("/api/cart/discount", {"code": "ten"}, format="json")

    assert applied.status_code == 200
    assert applied.json()["discount_code"] == "TEN"
    expected = {
        "subtotal": "211.00", "discount": "21.10", "delivery_fee": "40.00", "tax": "34.18",
        "total": "264.08", "currency": "INR",
    }  # fmt: skip
    assert _totals(applied.json()) == expected
    buyer, _ = buyer_client(store_a)
    placed = buyer.post("/api/orders", {"cart_token": token, "address": ADDRESS}, format="json")
    assert placed.status_code == 201
    assert _totals(placed.json()) == expected
    assert placed.json()["discount_code"] == "TEN"
    # The order keeps its copy whatever the store charges later.
    client_a.patch("/api/store", {"delivery_fee": "99"}, format="json")
    order_id = placed.json()["id"]
    assert _totals(client_a.get(f"/api/orders/{order_id}").json()) == expected
    with in_store(store_a):
        assert DiscountUse.objects.get().order_id == order_id


def test_an_amount_code_is_capped_at_the_subtotal(shop, client_a):
    cart, _ = shop
    _code(client_a, code="BIG", kind="amount", value="500")

    body = cart.post("/api/cart/discount", {"code": "BIG"}, format="json").json()

    assert _totals(body) == {
        "subtotal": "211.00", "discount": "211.00", "delivery_fee": "40.00", "tax": "0.00",
        "total": "40.00", "currency": "INR",
    }  # fmt: skip


def test_removing_the_code_restores_the_totals(shop, client_a):
    cart, _ = shop
    _code(client_a)
    cart.post("/api/cart/discount", {"code": "TEN"}, format="json")

    body = cart.delete("/api/cart/discount").json()

    assert (body["discount_code"], body["discount"], body["total"]) == ("", "0.00", "288.98")


@pytest.mark.parametrize(
    ("fields", "typed", "code"),
    [
        ({}, "NOPE", "discount_invalid"),
        ({"min_subtotal": "211.01"}, "TEN", "discount_min_subtotal"),
        ({"max_uses": 1, "is_active": False}, "TEN", "discount_invalid"),
    ],
)
def test_a_refused_code_leaves_the_cart_as_it_was(shop, client_a, fields, typed, code):
    cart, _ = shop
    active = fields.pop("is_active", True)
    _code(client_a, **fields)
    if not active:
        discount_id = client_a.get("/api/discounts").json()["results"][0]["id"]
        client_a.patch(f"/api/discounts/{discount_id}", {"active": False}, format="json")

    response = cart.post("/api/cart/discount", {"code": typed}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    body = cart.get("/api/cart").json()
    assert (body["discount_code"], body["total"]) == ("", "288.98")


def test_a_code_used_up_meanwhile_fails_the_order_with_409(shop, client_a, store_a):
    cart, token = shop
    _code(client_a, max_uses=1)
    cart.post("/api/cart/discount", {"code": "TEN"}, format="json")
    other = api_client(store_host(store_a))
    other_token = other.post("/api/cart").json()["token"]
    other.credentials(HTTP_X_CART_TOKEN=other_token)
    with in_store(store_a):
        jam = product_make("Jam", sale_price="100.00", mrp="100.00")
    other.put("/api/cart/items", {"product_id": jam.id, "quantity": 1}, format="json")
    other.post("/api/cart/discount", {"code": "TEN"}, format="json")
    first, _ = buyer_client(store_a, mobile="+919822222222")
    first_body = {"cart_token": other_token, "address": ADDRESS}
    assert first.post("/api/orders", first_body, format="json").status_code == 201
    buyer, _ = buyer_client(store_a)

    response = buyer.post("/api/orders", {"cart_token": token, "address": ADDRESS}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "discount_used_up"
    with in_store(store_a):
        assert Order.objects.count() == 1


def test_a_converted_cart_takes_no_code(shop, client_a, store_a):
    cart, token = shop
    _code(client_a)
    buyer, _ = buyer_client(store_a)
    buyer.post("/api/orders", {"cart_token": token, "address": ADDRESS}, format="json")

    response = cart.post("/api/cart/discount", {"code": "TEN"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "cart_converted")


def test_another_stores_cart_token_is_not_found(shop, store_b):
    _, token = shop
    other = api_client(
        store_host(store_b),
    )
    response = other.post(
        "/api/cart/discount", {"code": "TEN"}, format="json", HTTP_X_CART_TOKEN=token
    )
    assert (response.status_code, response.json()["code"]) == (404, "cart_not_found")
