"""A discount code's last use raced at order placing, through the API, against the real
database: two buyers holding the same code with one use left place their orders at the same
moment; one buyer placing two carts at once with a once-per-customer code.

Each cart holds a product of its own, so the products' stock locks do not line the orders up
by themselves: only the code's row lock (discount_redeem) decides who gets the last use.
"""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection, connections

from tenant_apps.catalog.models import Product
from tenant_apps.orders.discounts import discount_create
from tenant_apps.orders.models import Cart, DiscountCode, DiscountUse, Order
from tests.support.factories import buyer_client, product_make
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {"line1": "1 Road", "city": "Pune", "pincode": "411001", "phone": "9811111111"}
STOCK = 5


def _race(calls) -> list:
    """Run the callables at the same moment, each in its own thread (own DB connection)."""
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


@pytest.fixture
def shop(make_store):
    """A store with two tracked products (5 each) and nothing else."""
    store = make_store("Code race")
    with in_store(store):
        products = [product_make(name, sale_price="100.00", mrp="120.00") for name in "AB"]
        Product.objects.update(stock=STOCK)
    connection.set_schema_to_public()
    return store, products


def _cart_with_code(store, product, code: str) -> str:
    """A cart of 2 x product with the code applied (checked when applied: 200)."""
    client = api_client(store_host(store))
    token = client.post("/api/cart").json()["token"]
    client.credentials(HTTP_X_CART_TOKEN=token)
    assert client.put("/api/cart/items", {"product_id": product.pk, "quantity": 2},
                      format="json").status_code == 200  # fmt: skip
    applied = client.post("/api/cart/discount", {"code": code}, format="json")
    assert (applied.status_code, applied.json()["discount"]) == (200, "20.00"), applied.json()
    return token


def _placer(store, authorization: str, token: str):
    def place():
        # Each thread its own client: the test client is not thread-safe.
        client = api_client(store_host(store))
        client.credentials(HTTP_AUTHORIZATION=authorization)
        return client.post("/api/orders", {"cart_token": token, "address": ADDRESS},
                           format="json")  # fmt: skip

    return place


def _outcome(responses) -> tuple[list, list]:
    statuses = [getattr(r, "status_code", r) for r in responses]
    assert sorted(statuses) == [201, 409], statuses
    won = [r.json() for r in responses if r.status_code == 201]
    lost = [r.json() for r in responses if r.status_code == 409]
    return won, lost


def _authorization(store, mobile: str) -> str:
    client, _ = buyer_client(store, mobile=mobile)
    return client._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.django_db(transaction=True)
def test_two_buyers_racing_for_the_last_use_of_a_code_one_order_uses_it(shop):
    store, (first, second) = shop
    with in_store(store):
        discount_create(code="LAST1", kind="percent", value=D("10"), max_uses=1)
    tokens = [_cart_with_code(store, product, "LAST1") for product in (first, second)]
    buyers = [_authorization(store, mobile) for mobile in ("+919811111101", "+919811111102")]
    connection.set_schema_to_public()

    placers = [_placer(store, *pair) for pair in zip(buyers, tokens, strict=True)]
    won, lost = _outcome(_race(placers))

    assert (won[0]["discount_code"], won[0]["discount"], won[0]["total"]) == ("LAST1", "20.00",
                                                                             "180.00")  # fmt: skip
    assert (lost[0]["code"], lost[0]["error"]) == (
        "discount_used_up", "This discount code has been used up.")  # fmt: skip
    with in_store(store):
        order = Order.objects.get()
        assert Order.objects.count() == 1
        assert DiscountUse.objects.get().order_id == order.pk
        assert DiscountCode.objects.get(code="LAST1").uses_count == 1
        # The loser's order was rolled back whole: its stock untaken, its cart still open.
        stock = dict(Product.objects.values_list("name", "stock"))
        ordered = order.lines.get().name
        assert stock == {ordered: STOCK - 2, ({"A", "B"} - {ordered}).pop(): STOCK}
        assert Cart.objects.filter(status=Cart.Status.OPEN).count() == 1
    loser_token = tokens[1] if ordered == first.name else tokens[0]
    again = api_client(store_host(store)).get("/api/cart", HTTP_X_CART_TOKEN=loser_token).json()
    assert (again["discount_code"], again["discount"], again["total"]) == ("LAST1", "0.00",
                                                                          "200.00")  # fmt: skip
    assert again["discount_problem"]["code"] == "discount_exhausted"


@pytest.mark.django_db(transaction=True)
def test_one_buyer_racing_two_carts_with_a_once_per_customer_code_gets_it_once(shop):
    store, (first, second) = shop
    with in_store(store):
        discount_create(code="ONCE", kind="percent", value=D("10"), max_uses_per_customer=1)
    tokens = [_cart_with_code(store, product, "ONCE") for product in (first, second)]
    buyer = _authorization(store, "+919811111103")
    connection.set_schema_to_public()

    won, lost = _outcome(_race([_placer(store, buyer, token) for token in tokens]))

    assert (won[0]["discount_code"], won[0]["total"]) == ("ONCE", "180.00")
    assert (lost[0]["code"], lost[0]["error"]) == (
        "discount_used_up", "You have already used this discount code once.")  # fmt: skip
    with in_store(store):
        assert Order.objects.count() == 1
        assert DiscountCode.objects.get(code="ONCE").uses_count == 1
    # Another buyer may still use it: the limit is per customer.
    other = _authorization(store, "+919811111104")
    third = _cart_with_code(store, first, "ONCE")
    placed = _placer(store, other, third)()
    assert (placed.status_code, placed.json()["discount_code"]) == (201, "ONCE")
