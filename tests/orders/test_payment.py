"""Payment method at checkout (COD, UPI) and the seller's record of the payment."""

import pytest

from tenant_apps.catalog.models import Product
from tenant_apps.orders.models import Order
from tests.support.factories import buyer_client, product_make, seller_client
from tests.support.stores import api_client, in_store, store_host

ADDRESS = {"line1": "1 Road", "city": "Pune", "pincode": "411001", "phone": "9811111111"}


@pytest.fixture
def cart(store_a):
    """Tea 45.50 x 2 (stock 5): 91.00 with the store's default settings."""
    with in_store(store_a):
        tea = product_make("Tea", sale_price="45.50", mrp="50.00")
        Product.objects.filter(pk=tea.pk).update(stock=5)
    client = api_client(store_host(store_a))
    token = client.post("/api/cart").json()["token"]
    client.put(
        "/api/cart/items", {"product_id": tea.id, "quantity": 2}, format="json",
        HTTP_X_CART_TOKEN=token,
    )  # fmt: skip
    return token, tea


def _place(store, token, **extra):
    buyer, _ = buyer_client(store)
    body = {"cart_token": token, "address": ADDRESS, **extra}
    return buyer.post("/api/orders", body, format="json")


def test_an_order_without_a_method_is_cash_on_delivery_pending(store_a, cart):
    token, _ = cart

    response = _place(store_a, token)

    assert response.status_code == 201
    body = response.json()
    assert (body["payment_method"], body["payment_status"], body["payment"]) == (
        "cod", "pending", None,
    )  # fmt: skip
    assert (body["total"], body["currency"]) == ("91.00", "INR")


def test_upi_is_refused_while_the_store_has_no_upi_id(store_a, cart):
    token, tea = cart

    response = _place(store_a, token, payment_method="upi")

    assert response.status_code == 400
    assert response.json()["code"] == "payment_method_unavailable"
    with in_store(store_a):
        assert (Order.objects.count(), Product.objects.get(pk=tea.pk).stock) == (0, 5)


def test_an_unknown_method_is_refused(store_a, cart):
    token, _ = cart

    response = _place(store_a, token, payment_method="card")

    assert response.status_code == 400
    with in_store(store_a):
        assert Order.objects.count() == 0


def test_a_upi_order_answers_the_link_and_its_qr_code(store_a, cart, client_a):
    token, _ = cart
    settings = {"upi_id": "shop@okhdfc", "cod_enabled": False}
    assert client_a.patch("/api/store", settings, format="json").status_code == 200

    cod = _place(store_a, token, payment_method="cod")
    response = _place(store_a, token, payment_method="upi")

    assert (cod.status_code, cod.json()["code"]) == (400, "payment_method_unavailable")
    assert response.status_code == 201
    body = response.json()
    assert (body["payment_method"], body["payment_status"]) == ("upi", "pending")
    assert body["payment"]["upi_uri"] == (
        f"upi://pay?pa=shop@okhdfc&pn=Alpha&am=91.00&cu=INR&tn=Order%20{body['number']}"
    )
    assert body["payment"]["qr_svg"].startswith("<svg")
    assert "UPI payment QR code" in body["payment"]["qr_svg"]


def test_the_seller_records_paid_then_refunded(store_a, cart, seller_a):
    token, _ = cart
    order_id = _place(store_a, token).json()["id"]
    seller = seller_client(store_a, seller_a)

    early_refund = seller.post(f"/api/orders/{order_id}/payment", {"status": "refunded"})
    paid = seller.post(
        f"/api/orders/{order_id}/payment", {"status": "paid", "reference": "UTR 123"}
    )
    again = seller.post(f"/api/orders/{order_id}/payment", {"status": "paid"})
    refunded = seller.post(f"/api/orders/{order_id}/payment", {"status": "refunded"})

    assert (early_refund.status_code, early_refund.json()["code"]) == (
        409, "invalid_payment_transition",
    )  # fmt: skip
    assert (paid.status_code, paid.json()["payment_status"]) == (200, "paid")
    assert again.status_code == 409
    assert (refunded.status_code, refunded.json()["payment_status"]) == (200, "refunded")
    with in_store(store_a):
        order = Order.objects.get(pk=order_id)
    assert (order.payment_status, order.payment_reference) == ("refunded", "UTR 123")


def test_a_bad_payment_status_is_refused_and_nothing_changes(store_a, cart, seller_a):
    token, _ = cart
    order_id = _place(store_a, token).json()["id"]

    response = seller_client(store_a, seller_a).post(
        f"/api/orders/{order_id}/payment", {"status": "lost"}
    )

    assert response.status_code == 400
    with in_store(store_a):
        assert Order.objects.get(pk=order_id).payment_status == "pending"


def test_buyers_and_other_stores_cannot_record_a_payment(store_a, store_b, cart, seller_b):
    token, _ = cart
    order_id = _place(store_a, token).json()["id"]
    buyer, _ = buyer_client(store_a)
    outsider = api_client(store_host(store_a))
    other_seller = seller_client(store_a, seller_b)

    answers = [
        client.post(f"/api/orders/{order_id}/payment", {"status": "paid"}).status_code
        for client in (buyer, outsider, other_seller)
    ]

    assert all(status in (401, 403, 404) for status in answers), answers
    with in_store(store_a):
        assert Order.objects.get(pk=order_id).payment_status == "pending"
