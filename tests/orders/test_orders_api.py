"""Placing orders (buyer) and handling them (seller)."""

from decimal import Decimal

import pytest

from saas.access.tokens import key_hash
from tenant_apps.catalog.models import Product
from tenant_apps.orders.models import Cart, Order, OrderLine
from tests.support.factories import buyer_client, product_make, seller_client
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {
    "line1": "12 MG Road",
    "line2": "Flat 3",
    "city": "Pune",
    "pincode": "411001",
    "phone": "+91 98111 11111",
}


@pytest.fixture
def products(store_a):
    with in_store(store_a):
        tea = product_make("Tea", category="Drinks", mrp="50.00", sale_price="45.50")
        cake = product_make("Cake", category="Bakery", mrp="150.00", sale_price="120.00")
    return tea, cake


def _filled_cart(store, lines) -> str:
    client = api_client(store_host(store))
    token = client.post("/api/cart").json()["token"]
    for product, quantity in lines:
        response = client.put(
            "/api/cart/items",
            {"product_id": product.id, "quantity": quantity},
            format="json",
            HTTP_X_CART_TOKEN=token,
        )
        assert response.status_code == 200
    return token


def _place(client, token, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    payload = {"cart_token": token, "address": ADDRESS, "note": "Ring twice", **extra}
    return client.post("/api/orders", payload, format="json", **headers)


def test_place_order(store_a, products):
    tea, cake = products
    token = _filled_cart(store_a, [(tea, 2), (cake, 1)])
    buyer, customer_id = buyer_client(store_a)

    response = _place(buyer, token)

    assert response.status_code == 201
    body = response.json()
    with in_store(store_a):
        order = Order.objects.get()
        cart = Cart.objects.get(token_hash=key_hash(token))
    assert body["order_id"] == order.id
    assert body["number"] == str(1000 + order.id)
    assert body["status"] == "placed"
    assert body["total"] == "211.00"
    assert body["customer"] == {"id": customer_id, "mobile": "+919811111111"}
    assert body["address"] == {**ADDRESS, "phone": "+919811111111"}
    assert body["note"] == "Ring twice"
    assert [
        (line["product_id"], line["name"], line["unit_price"], line["quantity"], line["line_total"])
        for line in body["lines"]
    ] == [(tea.id, "Tea", "45.50", 2, "91.00"), (cake.id, "Cake", "120.00", 1, "120.00")]
    assert cart.status == Cart.Status.CONVERTED
    assert order.total == Decimal("211.00")


def test_address_is_remembered_for_the_next_checkout(store_a, products):
    buyer, _ = buyer_client(store_a)
    _place(buyer, _filled_cart(store_a, [(products[0], 1)]))
    _place(buyer, _filled_cart(store_a, [(products[1], 1)]))

    addresses = buyer.get("/api/customers/me").json()["addresses"]

    assert len(addresses) == 1
    assert addresses[0]["city"] == "Pune"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"cart_token": ""}, "cart_token", "blank"),
        ({"address": None}, "address", "null"),
        ({"address": {**ADDRESS, "line1": ""}}, "address", "blank"),
        ({"address": {k: v for k, v in ADDRESS.items() if k != "city"}}, "address", "required"),
        ({"address": {**ADDRESS, "pincode": "4"}}, "address", "invalid"),
        ({"address": {**ADDRESS, "pincode": "<script>"}}, "address", "invalid"),
        ({"address": {**ADDRESS, "phone": "call me"}}, "address", "invalid"),
        ({"address": {**ADDRESS, "phone": "12"}}, "address", "invalid"),
        ({"address": "12 MG Road"}, "address", "invalid"),
        ({"note": "x" * 1001}, "note", "max_length"),
    ],
)
def test_order_validation(store_a, products, change, field, code):
    token = _filled_cart(store_a, [(products[0], 1)])
    buyer, _ = buyer_client(store_a)

    response = _place(buyer, token, **change)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["details"]
    with in_store(store_a):
        assert Order.objects.count() == 0
        assert Cart.objects.get(token_hash=key_hash(token)).status == Cart.Status.OPEN


def test_too_long_idempotency_key_is_400(store_a, products):
    buyer, _ = buyer_client(store_a)
    response = _place(buyer, _filled_cart(store_a, [(products[0], 1)]), key="k" * 101)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"


def test_empty_cart_is_400(store_a):
    buyer, _ = buyer_client(store_a)
    token = api_client(store_host(store_a)).post("/api/cart").json()["token"]

    response = _place(buyer, token)

    assert response.status_code == 400
    assert response.json()["code"] == "cart_empty"
    with in_store(store_a):
        assert Order.objects.count() == 0


def test_unknown_cart_is_404(store_a):
    buyer, _ = buyer_client(store_a)
    response = _place(buyer, "no-such-cart")
    assert response.status_code == 404
    assert response.json()["code"] == "cart_not_found"


def test_cart_of_store_b_cannot_be_ordered_on_store_a(store_a, store_b):
    with in_store(store_b):
        tea_b = product_make("Tea B")
    token_b = _filled_cart(store_b, [(tea_b, 1)])
    buyer_a, _ = buyer_client(store_a)

    response = _place(buyer_a, token_b)

    assert response.status_code == 404
    with in_store(store_b):
        assert Cart.objects.get(token_hash=key_hash(token_b)).status == Cart.Status.OPEN


def test_inactive_product_is_404_and_nothing_is_ordered(store_a, products):
    # product_unavailable has one status, 404, here as when a cart line is set.
    tea, cake = products
    token = _filled_cart(store_a, [(tea, 1), (cake, 1)])
    with in_store(store_a):
        Product.objects.filter(pk=cake.pk).update(is_active=False)
    buyer, _ = buyer_client(store_a)

    response = _place(buyer, token)

    assert response.status_code == 404
    assert response.json()["code"] == "product_unavailable"
    assert response.json()["details"] == {"product_ids": [cake.id]}
    with in_store(store_a):
        assert Order.objects.count() == 0
        assert Cart.objects.get(token_hash=key_hash(token)).status == Cart.Status.OPEN


def test_price_change_between_cart_and_order_uses_the_price_at_placement(store_a, products):
    tea, _ = products
    token = _filled_cart(store_a, [(tea, 2)])
    cart_total = api_client(store_host(store_a)).get("/api/cart", HTTP_X_CART_TOKEN=token)
    with in_store(store_a):
        Product.objects.filter(pk=tea.pk).update(
            sale_price=Decimal("40.25"), mrp=Decimal("60.00"), name="Tea (new)"
        )
    buyer, _ = buyer_client(store_a)

    body = _place(buyer, token).json()

    assert cart_total.json()["total"] == "91.00"
    assert body["total"] == "80.50"
    assert body["lines"][0]["unit_price"] == "40.25"
    assert body["lines"][0]["mrp"] == "60.00"
    assert body["lines"][0]["name"] == "Tea (new)"


def test_same_cart_twice_gives_back_the_same_order(store_a, products):
    token = _filled_cart(store_a, [(products[0], 1)])
    buyer, _ = buyer_client(store_a)

    first = _place(buyer, token)
    second = _place(buyer, token)

    assert first.status_code == 201
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    with in_store(store_a):
        assert Order.objects.count() == 1


def test_same_idempotency_key_twice_gives_back_the_same_order(store_a, products):
    buyer, _ = buyer_client(store_a)
    first = _place(buyer, _filled_cart(store_a, [(products[0], 1)]), key="checkout-1")
    # Even with another cart, the key names the first order.
    second = _place(buyer, _filled_cart(store_a, [(products[1], 1)]), key="checkout-1")

    assert second.json()["order_id"] == first.json()["order_id"]
    with in_store(store_a):
        assert Order.objects.count() == 1


def test_someone_elses_converted_cart_is_409(store_a, products):
    token = _filled_cart(store_a, [(products[0], 1)])
    first_buyer, _ = buyer_client(store_a, mobile="+919811111111")
    other_buyer, _ = buyer_client(store_a, mobile="+919822222222")
    _place(first_buyer, token)

    response = _place(other_buyer, token)

    assert response.status_code == 409
    assert response.json()["code"] == "cart_converted"
    assert "12 MG Road" not in response.content.decode()


def test_buyer_sees_only_own_orders(store_a, products):
    mine, _ = buyer_client(store_a, mobile="+919811111111")
    theirs, _ = buyer_client(store_a, mobile="+919822222222")
    my_order = _place(mine, _filled_cart(store_a, [(products[0], 1)])).json()
    their_order = _place(theirs, _filled_cart(store_a, [(products[1], 1)])).json()

    listed = mine.get("/api/customers/me/orders").json()
    other = mine.get(f"/api/customers/me/orders/{their_order['order_id']}")

    assert [o["order_id"] for o in listed["results"]] == [my_order["order_id"]]
    assert other.status_code == 404


# --- the seller handles orders ------------------------------------------------------------


def _orders(store, count, products):
    buyer, _ = buyer_client(store)
    return [
        _place(buyer, _filled_cart(store, [(products[index % 2], 1)])).json()
        for index in range(count)
    ]


def test_seller_lists_orders_newest_first_and_filters_by_status(client_a, store_a, products):
    placed = _orders(store_a, 3, products)
    client_a.post(f"/api/orders/{placed[0]['order_id']}/status", {"status": "accepted"})

    everything = client_a.get("/api/orders").json()
    accepted = client_a.get("/api/orders?status=accepted").json()

    assert [o["order_id"] for o in everything["results"]] == [
        placed[2]["order_id"],
        placed[1]["order_id"],
        placed[0]["order_id"],
    ]
    assert [o["order_id"] for o in accepted["results"]] == [placed[0]["order_id"]]
    assert accepted["results"][0]["status"] == "accepted"


def test_bad_status_filter_is_400(client_a):
    response = client_a.get("/api/orders?status=lost")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"


def test_seller_reads_one_order(client_a, store_a, products):
    placed = _orders(store_a, 1, products)[0]
    response = client_a.get(f"/api/orders/{placed['order_id']}")
    assert response.status_code == 200
    answer = response.json()
    notifications = answer.pop("notifications")
    # The buyer's answer, plus what the seller alone sees: the order's messages (pending: this
    # test's transaction never commits, so the send queued on commit does not run).
    assert answer == placed
    assert notifications == [
        {"event": "placed", "channel": "sms", "status": "pending", "sent_at": None}
    ]


def test_unknown_order_is_404(client_a):
    response = client_a.get("/api/orders/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "order_not_found"


ALLOWED = [
    ("placed", "accepted"),
    ("placed", "cancelled"),
    ("accepted", "shipped"),
    ("accepted", "cancelled"),
    ("shipped", "delivered"),
]
ALL = ["placed", "accepted", "shipped", "delivered", "cancelled"]


@pytest.mark.parametrize(("current", "target"), [(a, b) for a in ALL for b in ALL])
def test_status_transitions(client_a, store_a, products, current, target):
    order_id = _orders(store_a, 1, products)[0]["order_id"]
    with in_store(store_a):
        Order.objects.filter(pk=order_id).update(status=current)

    response = client_a.post(f"/api/orders/{order_id}/status", {"status": target}, format="json")

    with in_store(store_a):
        stored = Order.objects.get(pk=order_id).status
    if (current, target) in ALLOWED:
        assert response.status_code == 200
        assert response.json()["status"] == target
        assert stored == target
    else:
        assert response.status_code == 409
        assert response.json()["code"] == "invalid_transition"
        assert stored == current


def test_unknown_status_is_400(client_a, store_a, products):
    order_id = _orders(store_a, 1, products)[0]["order_id"]
    response = client_a.post(f"/api/orders/{order_id}/status", {"status": "lost"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"


def test_store_b_seller_cannot_see_or_change_store_a_orders(store_a, seller_b, products):
    order_id = _orders(store_a, 1, products)[0]["order_id"]
    client = seller_client(store_a, seller_b)

    listed = client.get("/api/orders")
    one = client.get(f"/api/orders/{order_id}")
    changed = client.post(f"/api/orders/{order_id}/status", {"status": "accepted"})

    assert (listed.status_code, one.status_code, changed.status_code) == (403, 403, 403)
    assert "12 MG Road" not in listed.content.decode() + one.content.decode()
    with in_store(store_a):
        assert Order.objects.get(pk=order_id).status == "placed"


def test_store_b_buyer_cannot_place_an_order_on_store_a(store_a, store_b, products):
    token = _filled_cart(store_a, [(products[0], 1)])
    buyer_b, _ = buyer_client(store_b)
    buyer_b.defaults["HTTP_HOST"] = store_host(store_a)

    response = _place(buyer_b, token)

    assert response.status_code == 401
    with in_store(store_a):
        assert Order.objects.count() == 0
        assert OrderLine.objects.count() == 0


def test_schema_describes_buyer_and_seller_credentials_of_orders(anon_client_a):
    schema = anon_client_a.get("/api/schema/?format=json").json()

    orders = schema["paths"]["/api/orders"]
    assert [next(iter(s)) for s in orders["post"]["security"]] == ["buyerJwt"]
    assert "buyerJwt" not in [next(iter(s)) for s in orders["get"]["security"]]
    assert "/api/storefront/catalog" in schema["paths"]
