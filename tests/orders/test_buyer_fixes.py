"""Buyer storefront fixes found on a phone, at the API: a 10-digit Indian mobile signs in, PIN
codes are checked, image URLs keep the port, and a buyer opens only their own orders."""

import pytest

from shared_apps.accounts import sms
from tenant_apps.orders.addresses import region_for_timezone
from tenant_apps.orders.models import Address, Order
from tests.support.factories import buyer_client, product_make
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {"line1": "12 MG Road", "line2": "", "city": "Pune", "phone": "9811111111"}


def _cart(store, *, host=None) -> tuple[object, str]:
    with in_store(store):
        tea = product_make("Tea", image="store_alpha/products/tea.png")
    client = api_client(host or store_host(store))
    token = client.post("/api/cart").json()["token"]
    client.put(
        "/api/cart/items", {"product_id": tea.id, "quantity": 1}, format="json",
        HTTP_X_CART_TOKEN=token,
    )  # fmt: skip
    return client, token


def _place(store, buyer, *, pincode: str = "411001"):
    _, token = _cart(store)
    payload = {"cart_token": token, "address": {**ADDRESS, "pincode": pincode}}
    return buyer.post("/api/orders", payload, format="json")


@pytest.mark.parametrize(
    ("zone", "region"),
    [("Asia/Kolkata", "IN"), ("Asia/Calcutta", "IN"), ("Europe/London", "GB"), ("UTC", "IN")],
)
def test_the_store_region_is_the_country_of_its_timezone(zone, region):
    assert region_for_timezone(zone) == region


@pytest.mark.parametrize("typed", ["9812345678", "98123 45678", "098123-45678"])
def test_a_10_digit_mobile_without_91_signs_in_as_plus_91(store_a, redis_clean, typed):
    client = api_client(store_host(store_a))

    requested = client.post("/api/customers/otp/request", {"mobile": typed}, format="json")
    assert requested.status_code == 202
    assert sms.outbox[-1]["to"] == "+919812345678"
    code = sms.outbox[-1]["text"].rsplit(" ", 1)[1]
    verified = client.post(
        "/api/customers/otp/verify", {"mobile": typed, "otp": code}, format="json"
    )

    assert verified.status_code == 200
    assert verified.json()["customer"]["mobile"] == "+919812345678"


@pytest.mark.parametrize("pincode", ["011001", "41100", "4110011", "41100A", "PUNE01"])
def test_an_indian_store_refuses_a_pin_code_that_is_not_6_digits_from_1(store_a, pincode):
    buyer, _ = buyer_client(store_a)

    response = _place(store_a, buyer, pincode=pincode)

    assert response.status_code == 400
    assert response.json() == {
        "error": "address: pincode: Give the 6-digit PIN code, such as 411001.",
        "code": "invalid",
        "details": {"address": {"pincode": ["Give the 6-digit PIN code, such as 411001."]}},
    }
    with in_store(store_a):
        assert Order.objects.count() == 0
        assert Address.objects.count() == 0


def test_a_valid_pin_code_is_stored(store_a):
    buyer, _ = buyer_client(store_a)

    response = _place(store_a, buyer, pincode=" 411 001 ")

    assert response.status_code == 201
    assert response.json()["address"]["pincode"] == "411001"


@pytest.mark.parametrize(
    ("host_port", "expected_port"),
    [("", ":8000"), (":8000", ":8000"), (":8123", ":8123")],
)
def test_image_urls_keep_the_port(store_a, settings, host_port, expected_port):
    settings.SAAS_URL_PORT = "8000"
    host = store_host(store_a)
    client, token = _cart(store_a, host=host + host_port)
    expected = f"http://{host}{expected_port}/media/store_alpha/products/tea.png"

    catalog = client.get("/api/storefront/catalog").json()
    cart = client.get("/api/cart", HTTP_X_CART_TOKEN=token).json()
    page = client.get("/").content.decode()

    assert catalog["categories"][0]["products"][0]["image"] == expected
    assert cart["lines"][0]["image"] == expected
    assert f'src="{expected}"' in page


def test_a_buyer_opens_their_own_order_and_never_another_buyers(store_a, store_b):
    owner, _ = buyer_client(store_a, mobile="+919811111111")
    other, _ = buyer_client(store_a, mobile="+919822222222")
    placed = _place(store_a, owner).json()
    path = f"/api/customers/me/orders/{placed['order_id']}"

    mine = owner.get(path)
    theirs = other.get(path)
    other_store, _ = buyer_client(store_b, mobile="+919811111111")
    cross = api_client(store_host(store_a), jwt=other_store._credentials["HTTP_AUTHORIZATION"][7:])

    assert mine.status_code == 200
    body = mine.json()
    assert (body["number"], body["total"], body["status"]) == (placed["number"], "100.00", "placed")
    assert body["address"] == {
        "line1": "12 MG Road", "line2": "", "city": "Pune", "pincode": "411001",
        "phone": "+919811111111",
    }  # fmt: skip
    assert [(line["name"], line["quantity"]) for line in body["lines"]] == [("Tea", 1)]
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "order_not_found"
    assert other.get("/api/customers/me/orders").json()["results"] == []
    assert cross.get(path).status_code == 401
    assert api_client(store_host(store_a)).get(path).status_code == 401
