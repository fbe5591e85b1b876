"""Stock: products that track it are never oversold, cancelled orders give it back."""

import threading

import pytest
from django.db import connection, connections

from tenant_apps.catalog.models import Product
from tenant_apps.orders.models import Order
from tests.support.factories import buyer_client, product_make, seller_client
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {"line1": "1 Road", "city": "Pune", "pincode": "411001", "phone": "9811111111"}


def _cart(store, lines) -> tuple:
    client = api_client(store_host(store))
    token = client.post("/api/cart").json()["token"]
    for product, quantity in lines:
        response = client.put(
            "/api/cart/items",
            {"product_id": product.id, "quantity": quantity},
            format="json",
            HTTP_X_CART_TOKEN=token,
        )
        assert response.status_code == 200, response.json()
    return client, token


def _stock(store, product) -> int | None:
    with in_store(store):
        return Product.objects.get(pk=product.pk).stock


def _set_stock(store, product, stock) -> None:
    with in_store(store):
        Product.objects.filter(pk=product.pk).update(stock=stock)


def test_products_are_created_and_changed_with_stock(client_a):
    response = client_a.post(
        "/api/products",
        {"name": "Jam", "category": "Jars", "mrp": "90", "sale_price": "80", "stock": 5},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["stock"], response.json()["in_stock"]) == (5, True)
    product_id = response.json()["id"]

    emptied = client_a.patch(f"/api/products/{product_id}", {"stock": 0}, format="json")
    assert (emptied.json()["stock"], emptied.json()["in_stock"]) == (0, False)
    untracked = client_a.patch(f"/api/products/{product_id}", {"stock": None}, format="json")
    assert (untracked.json()["stock"], untracked.json()["in_stock"]) == (None, True)


@pytest.mark.parametrize("stock", [-1, 1.5, "many", 2_147_483_648])
def test_bad_stock_is_refused_and_nothing_changes(client_a, store_a, stock):
    with in_store(store_a):
        jam = product_make("Jam")
    _set_stock(store_a, jam, 4)

    response = client_a.patch(f"/api/products/{jam.id}", {"stock": stock}, format="json")

    assert response.status_code == 400
    assert _stock(store_a, jam) == 4


def test_a_product_made_without_stock_is_not_tracked(client_a):
    response = client_a.post(
        "/api/products",
        {"name": "Jam", "category": "Jars", "mrp": "90", "sale_price": "80"},
        format="json",
    )
    assert (response.json()["stock"], response.json()["in_stock"]) == (None, True)


def test_the_catalogue_shows_stock_and_out_of_stock(store_a):
    with in_store(store_a):
        jam = product_make("Jam")
        tea = product_make("Tea")
    _set_stock(store_a, jam, 0)

    categories = api_client(store_host(store_a)).get("/api/storefront/catalog").json()
    products = {p["id"]: p for c in categories["categories"] for p in c["products"]}

    assert (products[jam.id]["stock"], products[jam.id]["in_stock"]) == (0, False)
    assert (products[tea.id]["stock"], products[tea.id]["in_stock"]) == (None, True)


def test_a_cart_cannot_hold_more_than_the_stock(store_a):
    with in_store(store_a):
        jam = product_make("Jam")
    _set_stock(store_a, jam, 2)
    client, token = _cart(store_a, [(jam, 2)])

    response = client.put(
        "/api/cart/items", {"product_id": jam.id, "quantity": 3}, format="json",
        HTTP_X_CART_TOKEN=token,
    )  # fmt: skip

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert response.json()["details"]["available"] == 2
    cart = client.get("/api/cart", HTTP_X_CART_TOKEN=token).json()
    assert [line["quantity"] for line in cart["lines"]] == [2]


def test_placing_takes_the_stock_and_cancelling_gives_it_back(store_a, seller_a):
    with in_store(store_a):
        jam = product_make("Jam", sale_price="80.00", mrp="90.00")
        tea = product_make("Tea")
    _set_stock(store_a, jam, 5)
    _, token = _cart(store_a, [(jam, 3), (tea, 4)])
    buyer, _ = buyer_client(store_a)

    placed = buyer.post("/api/orders", {"cart_token": token, "address": ADDRESS}, format="json")

    assert placed.status_code == 201
    assert (_stock(store_a, jam), _stock(store_a, tea)) == (2, None)
    seller = seller_client(store_a, seller_a)
    order_id = placed.json()["id"]
    cancelled = seller.post(f"/api/orders/{order_id}/status", {"status": "cancelled"})
    assert cancelled.status_code == 200
    assert _stock(store_a, jam) == 5


def test_an_order_short_of_stock_names_each_short_line_and_takes_nothing(store_a):
    with in_store(store_a):
        jam = product_make("Jam")
        tea = product_make("Tea")
        honey = product_make("Honey")
    _, token = _cart(store_a, [(jam, 3), (tea, 2), (honey, 1)])
    _set_stock(store_a, jam, 1)  # sold elsewhere since the cart was filled
    _set_stock(store_a, tea, 0)
    _set_stock(store_a, honey, 9)
    buyer, _ = buyer_client(store_a)

    response = buyer.post("/api/orders", {"cart_token": token, "address": ADDRESS}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert response.json()["details"]["lines"] == sorted(
        [
            {"product_id": jam.id, "requested": 3, "available": 1},
            {"product_id": tea.id, "requested": 2, "available": 0},
        ],
        key=lambda line: line["product_id"],
    )
    assert [_stock(store_a, p) for p in (jam, tea, honey)] == [1, 0, 9]
    with in_store(store_a):
        assert Order.objects.count() == 0


def _race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # reported by the assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_eight_buyers_racing_for_three_units_make_exactly_three_orders(make_store):
    store = make_store("Stock race")
    with in_store(store):
        jam = product_make("Jam")
    connection.set_schema_to_public()
    racers = []
    for index in range(8):
        _, token = _cart(store, [(jam, 1)])
        buyer, _ = buyer_client(store, mobile=f"+91981111110{index}")
        connection.set_schema_to_public()
        racers.append((buyer._credentials["HTTP_AUTHORIZATION"], token))
    _set_stock(store, jam, 3)
    connection.set_schema_to_public()

    def place(authorization, token):
        def call():
            client = api_client(store_host(store))
            client.credentials(HTTP_AUTHORIZATION=authorization)
            body = {"cart_token": token, "address": ADDRESS}
            return client.post("/api/orders", body, format="json")

        return call

    responses = _race([place(*racer) for racer in racers])

    statuses = sorted(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == [201] * 3 + [409] * 5
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"insufficient_stock"}
    assert _stock(store, jam) == 0
    with in_store(store):
        assert Order.objects.count() == 3
