"""Two buyers' requests racing to place the same order, against the real database."""

import threading

import pytest
from django.db import connection, connections

from saas.access.tokens import key_hash
from tenant_apps.orders.models import Cart, Order, OrderLine
from tests.support.factories import buyer_client, product_make
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {"line1": "1 Road", "city": "Pune", "pincode": "411001", "phone": "9811111111"}
RACERS = 6


def _race(requests) -> list:
    """Run the callables at the same moment, each in its own thread (own DB connection)."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait()
            results[index] = request()
        except Exception as error:  # reported by the assertions below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def racing_store(make_store):
    store = make_store("Race shop")
    with in_store(store):
        tea = product_make("Tea", sale_price="10.00", mrp="12.00")
    connection.set_schema_to_public()
    return store, tea


def _cart_with(store, product) -> str:
    client = api_client(store_host(store))
    token = client.post("/api/cart").json()["token"]
    client.put(
        "/api/cart/items",
        {"product_id": product.id, "quantity": 3},
        format="json",
        HTTP_X_CART_TOKEN=token,
    )
    return token


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_key", [False, True])
def test_racing_submissions_of_one_cart_make_one_order(racing_store, with_key):
    store, tea = racing_store
    token = _cart_with(store, tea)
    buyer, _ = buyer_client(store)
    connection.set_schema_to_public()
    headers = {"HTTP_IDEMPOTENCY_KEY": "same-click"} if with_key else {}

    def place():
        # Each thread its own client (the test client is not thread-safe), same buyer token.
        client = api_client(store_host(store))
        client.credentials(HTTP_AUTHORIZATION=buyer._credentials["HTTP_AUTHORIZATION"])
        payload = {"cart_token": token, "address": ADDRESS}
        return client.post("/api/orders", payload, format="json", **headers)

    responses = _race([place] * RACERS)

    assert [getattr(r, "status_code", r) for r in responses] == [201] * RACERS
    order_ids = {r.json()["order_id"] for r in responses}
    assert len(order_ids) == 1
    assert sum(1 for r in responses if r.get("Idempotent-Replayed") == "true") == RACERS - 1
    with in_store(store):
        assert Order.objects.count() == 1
        assert OrderLine.objects.count() == 1
        assert Order.objects.get().total == 30
        assert Cart.objects.get(token_hash=key_hash(token)).status == Cart.Status.CONVERTED


@pytest.mark.django_db(transaction=True)
def test_racing_requests_with_one_key_and_different_carts_make_one_order(racing_store):
    store, tea = racing_store
    tokens = [_cart_with(store, tea) for _ in range(RACERS)]
    buyer, _ = buyer_client(store)
    connection.set_schema_to_public()
    authorization = buyer._credentials["HTTP_AUTHORIZATION"]

    def place_with(token):
        def place():
            client = api_client(store_host(store))
            client.credentials(HTTP_AUTHORIZATION=authorization)
            return client.post(
                "/api/orders",
                {"cart_token": token, "address": ADDRESS},
                format="json",
                HTTP_IDEMPOTENCY_KEY="one-checkout",
            )

        return place

    responses = _race([place_with(token) for token in tokens])

    assert [getattr(r, "status_code", r) for r in responses] == [201] * RACERS
    assert len({r.json()["order_id"] for r in responses}) == 1
    with in_store(store):
        assert Order.objects.count() == 1
        assert Cart.objects.filter(status=Cart.Status.CONVERTED).count() == 1
