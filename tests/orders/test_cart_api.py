"""The anonymous server-side cart and its daily clean-up."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from saas.access.tokens import key_hash
from tenant_apps.orders.models import Cart, CartLine
from tenant_apps.orders.tasks import cart_expired_delete_task
from tests.support.factories import product_make
from tests.support.stores import api_client, in_store, store_host


def _cart(client) -> str:
    response = client.post("/api/cart")
    assert response.status_code == 201
    return response.json()["token"]


def _set(client, token, product_id, quantity):
    return client.put(
        "/api/cart/items",
        {"product_id": product_id, "quantity": quantity},
        format="json",
        HTTP_X_CART_TOKEN=token,
    )


def test_new_cart_is_empty_with_an_unguessable_token(anon_client_a, store_a):
    first = anon_client_a.post("/api/cart").json()
    second = anon_client_a.post("/api/cart").json()

    assert first["lines"] == []
    assert first["total"] == "0.00"
    assert first["status"] == "open"
    assert len(first["token"]) >= 40
    assert first["token"] != second["token"]
    with in_store(store_a):
        assert Cart.objects.count() == 2


def test_set_lines_and_read_the_cart(anon_client_a, store_a):
    with in_store(store_a):
        tea = product_make(
            "Tea", sale_price="45.50", mrp="50.00", image="store_alpha/products/t.png"
        )
        cake = product_make("Cake", sale_price="120.00", mrp="150.00")
    token = _cart(anon_client_a)

    _set(anon_client_a, token, tea.id, 3)
    _set(anon_client_a, token, cake.id, 1)
    response = anon_client_a.get("/api/cart", HTTP_X_CART_TOKEN=token)

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == "256.50"
    assert body["item_count"] == 4
    assert body["lines"] == [
        {
            "product_id": tea.id,
            "name": "Tea",
            "unit_price": "45.50",
            "quantity": 3,
            "line_total": "136.50",
            "image": f"http://{store_host(store_a)}:8000/media/store_alpha/products/t.png",
        },
        {
            "product_id": cake.id,
            "name": "Cake",
            "unit_price": "120.00",
            "quantity": 1,
            "line_total": "120.00",
            "image": None,
        },
    ]


def test_quantity_is_set_not_added_and_zero_removes(anon_client_a, store_a):
    with in_store(store_a):
        tea = product_make("Tea")
    token = _cart(anon_client_a)

    _set(anon_client_a, token, tea.id, 5)
    assert _set(anon_client_a, token, tea.id, 2).json()["lines"][0]["quantity"] == 2
    emptied = _set(anon_client_a, token, tea.id, 0).json()

    assert emptied["lines"] == []
    assert emptied["total"] == "0.00"


def test_line_keeps_name_and_price_read_from_the_database(anon_client_a, store_a):
    with in_store(store_a):
        tea = product_make("Tea", sale_price="40.00", mrp="50.00")
    token = _cart(anon_client_a)

    # A client cannot slip its own price or name in; only product_id and quantity count.
    anon_client_a.put(
        "/api/cart/items",
        {"product_id": tea.id, "quantity": 1, "unit_price": "0.01", "name": "Free"},
        format="json",
        HTTP_X_CART_TOKEN=token,
    )

    with in_store(store_a):
        line = CartLine.objects.get()
        assert (line.name, line.unit_price) == ("Tea", Decimal("40.00"))


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"product_id": "PRODUCT", "quantity": 100}, 400, "max_value"),
        ({"product_id": "PRODUCT", "quantity": -1}, 400, "min_value"),
        ({"product_id": "PRODUCT", "quantity": "two"}, 400, "invalid"),
        ({"product_id": "PRODUCT"}, 400, "required"),
        ({"quantity": 1}, 400, "required"),
        ({"product_id": 999999, "quantity": 1}, 404, "product_unavailable"),
        ({"product_id": "ARCHIVED", "quantity": 1}, 404, "product_unavailable"),
    ],
)
def test_cart_line_validation(anon_client_a, store_a, payload, status, code):
    with in_store(store_a):
        product = product_make("Tea")
        archived = product_make("Old", is_active=False)
    token = _cart(anon_client_a)
    ids = {"PRODUCT": product.id, "ARCHIVED": archived.id}
    payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}

    response = anon_client_a.put("/api/cart/items", payload, format="json", HTTP_X_CART_TOKEN=token)

    assert response.status_code == status
    assert response.json()["code"] == code
    with in_store(store_a):
        assert CartLine.objects.count() == 0


def test_99_is_the_largest_quantity(anon_client_a, store_a):
    with in_store(store_a):
        tea = product_make("Tea", sale_price="1.00", mrp="1.00")
    token = _cart(anon_client_a)
    assert _set(anon_client_a, token, tea.id, 99).json()["total"] == "99.00"


def test_missing_and_unknown_cart_tokens(anon_client_a):
    missing = anon_client_a.get("/api/cart")
    unknown = anon_client_a.get("/api/cart", HTTP_X_CART_TOKEN="not-a-real-token")

    assert missing.status_code == 400
    assert missing.json()["code"] == "cart_token_missing"
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "cart_not_found"


def test_cart_token_of_store_b_is_not_found_on_store_a(store_a, store_b):
    with in_store(store_a):
        tea = product_make("Tea")
    client_b = api_client(store_host(store_b))
    token_b = _cart(client_b)
    client_a = api_client(store_host(store_a))

    read = client_a.get("/api/cart", HTTP_X_CART_TOKEN=token_b)
    write = _set(client_a, token_b, tea.id, 1)

    assert read.status_code == 404
    assert write.status_code == 404
    assert write.json()["code"] == "cart_not_found"
    with in_store(store_b):
        assert CartLine.objects.count() == 0


def test_converted_cart_refuses_changes(anon_client_a, store_a):
    with in_store(store_a):
        tea = product_make("Tea")
    token = _cart(anon_client_a)
    with in_store(store_a):
        Cart.objects.filter(token_hash=key_hash(token)).update(status=Cart.Status.CONVERTED)

    response = _set(anon_client_a, token, tea.id, 1)

    assert response.status_code == 409
    assert response.json()["code"] == "cart_converted"


def test_cart_is_not_served_on_the_platform_host(db):
    assert api_client("localhost").post("/api/cart").status_code == 404


def test_daily_job_removes_carts_idle_for_30_days(store_a):
    now = timezone.now()
    with in_store(store_a):
        tea = product_make("Tea")
        idle = Cart.objects.create(token_hash="idle", last_activity_at=now - timedelta(days=31))
        CartLine.objects.create(cart=idle, product=tea, name="Tea", unit_price=1, quantity=1)
        recent = Cart.objects.create(token_hash="recent", last_activity_at=now - timedelta(days=29))

        removed = cart_expired_delete_task.apply().get()

        assert removed == 2  # the cart and its line
        assert list(Cart.objects.values_list("pk", flat=True)) == [recent.pk]
        assert CartLine.objects.count() == 0


def test_using_a_cart_keeps_it_alive(anon_client_a, store_a):
    token = _cart(anon_client_a)
    with in_store(store_a):
        Cart.objects.filter(token_hash=key_hash(token)).update(
            last_activity_at=timezone.now() - timedelta(days=29, hours=23)
        )

    anon_client_a.get("/api/cart", HTTP_X_CART_TOKEN=token)

    with in_store(store_a):
        cart_expired_delete_task.apply()
        assert Cart.objects.filter(token_hash=key_hash(token)).exists()


def test_out_of_range_ids_are_not_found_rather_than_errors(anon_client_a, client_a):
    token = _cart(anon_client_a)
    huge = 10**30

    line = _set(anon_client_a, token, huge, 1)
    product = client_a.get(f"/api/products/{huge}")
    order = client_a.get(f"/api/orders/{huge}")

    assert (line.status_code, product.status_code, order.status_code) == (404, 404, 404)


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json", "null"])
def test_malformed_cart_bodies_are_400(anon_client_a, body):
    token = _cart(anon_client_a)
    response = anon_client_a.put(
        "/api/cart/items", body, content_type="application/json", HTTP_X_CART_TOKEN=token
    )
    assert response.status_code == 400
    assert set(response.json()) == {"error", "code", "details"}
