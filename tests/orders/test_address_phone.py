"""The delivery address's phone: read with phonenumbers, stored in E.164."""

import pytest

from tenant_apps.orders.models import Address, Order
from tests.support.factories import buyer_client, product_make
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {"line1": "12 MG Road", "line2": "", "city": "Pune", "pincode": "411001"}


def _place(store, phone: str):
    with in_store(store):
        tea = product_make("Tea")
    cart = api_client(store_host(store))
    token = cart.post("/api/cart").json()["token"]
    cart.put(
        "/api/cart/items", {"product_id": tea.id, "quantity": 1}, format="json",
        HTTP_X_CART_TOKEN=token,
    )  # fmt: skip
    buyer, _ = buyer_client(store)
    payload = {"cart_token": token, "address": {**ADDRESS, "phone": phone}}
    return buyer.post("/api/orders", payload, format="json")


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("9811111111", "+919811111111"),  # no country code: an Indian number
        ("098111-11111", "+919811111111"),  # with the trunk zero
        ("(+91) 98111 11111", "+919811111111"),
        ("+44 20 7946 0958", "+442079460958"),  # a foreign number keeps its country
    ],
)
def test_a_valid_phone_is_stored_in_e164(store_a, phone, stored):
    response = _place(store_a, phone)

    assert response.status_code == 201
    assert response.json()["address"]["phone"] == stored
    with in_store(store_a):
        assert Order.objects.get().address_phone == stored
        assert Address.objects.get().phone == stored


@pytest.mark.parametrize("phone", ["1234567", "+91 98111", "98111 11111 11111", "+0 12345678"])
def test_a_number_that_is_not_a_phone_is_400(store_a, phone):
    response = _place(store_a, phone)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["details"] == {
        "address": {"phone": ["Give a valid phone number, such as 98111 11111 or +91 98111 11111."]}
    }
    with in_store(store_a):
        assert Order.objects.count() == 0
        assert Address.objects.count() == 0
