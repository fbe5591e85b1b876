"""POST /api/cart is limited per client IP in each store (cart_create_ip, 120/hour)."""

from rest_framework.test import APIClient

from tenant_apps.orders.models import Cart
from tests.support.stores import in_store, store_host
from tests.support.throttles import assert_throttled


def store_client(store, ip: str) -> APIClient:
    return APIClient(HTTP_HOST=store_host(store), REMOTE_ADDR=ip)


def test_the_121st_cart_from_one_ip_in_one_store_is_429_and_another_store_still_answers(
    store_a, store_b
):
    buyer = store_client(store_a, "198.51.100.20")
    made = [buyer.post("/api/cart").status_code for _ in range(120)]

    refused = buyer.post("/api/cart")
    in_store_b = store_client(store_b, "198.51.100.20").post("/api/cart")
    other_ip = store_client(store_a, "198.51.100.21").post("/api/cart")

    assert made == [201] * 120
    assert assert_throttled(refused, at_most=3600) >= 3590
    assert in_store_b.status_code == 201
    assert other_ip.status_code == 201
    with in_store(store_a):
        assert Cart.objects.count() == 121
    with in_store(store_b):
        assert Cart.objects.count() == 1


def test_reading_a_cart_is_not_counted(store_a):
    buyer = store_client(store_a, "198.51.100.30")
    token = buyer.post("/api/cart").json()["token"]
    reads = [buyer.get("/api/cart", HTTP_X_CART_TOKEN=token).status_code for _ in range(130)]

    assert reads == [200] * 130
    assert buyer.post("/api/cart").status_code == 201
