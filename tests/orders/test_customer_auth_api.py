"""Buyer sign-in by mobile + OTP; buyer tokens name their store and their kind."""

import pytest

from saas.api.authentication import seller_token_pair
from shared_apps.accounts import sms
from tenant_apps.orders.authentication import customer_token_pair
from tenant_apps.orders.models import Customer
from tests.support.factories import buyer_client, seller_client
from tests.support.stores import api_client, in_store, store_host

MOBILE = "+919812345678"


def _sent_code() -> str:
    return sms.outbox[-1]["text"].rsplit(" ", 1)[1]


def _login(client, mobile=MOBILE):
    client.post("/api/customers/otp/request", {"mobile": mobile}, format="json")
    return client.post(
        "/api/customers/otp/verify", {"mobile": mobile, "otp": _sent_code()}, format="json"
    )


def test_first_verify_creates_the_customer(anon_client_a, store_a, redis_clean):
    requested = anon_client_a.post("/api/customers/otp/request", {"mobile": MOBILE}, format="json")
    code = _sent_code()

    assert requested.status_code == 202
    assert sms.outbox[-1]["to"] == MOBILE
    # The platform's fixed text, the same in every store: no store name.
    assert sms.outbox[-1]["text"] == f"Your Seller Suite code, valid for 5 minutes, is {code}"
    verified = anon_client_a.post(
        "/api/customers/otp/verify", {"mobile": MOBILE, "otp": _sent_code()}, format="json"
    )

    assert verified.status_code == 200
    body = verified.json()
    with in_store(store_a):
        customer = Customer.objects.get(mobile=MOBILE)
    assert body["customer"] == {"id": customer.id, "mobile": MOBILE}
    assert body["created"] is True
    assert set(body) == {"access", "refresh", "customer", "created"}


def test_second_sign_in_finds_the_same_customer(anon_client_a, store_a, redis_clean, settings):
    settings.OTP_RESEND_INTERVAL_SECONDS = 0
    first = _login(anon_client_a).json()
    second = _login(anon_client_a, mobile="+91 98123 45678").json()

    assert second["customer"]["id"] == first["customer"]["id"]
    assert second["created"] is False
    with in_store(store_a):
        assert Customer.objects.count() == 1


def test_same_mobile_is_a_different_customer_in_another_store(store_a, store_b, redis_clean):
    in_a = _login(api_client(store_host(store_a))).json()
    in_b = _login(api_client(store_host(store_b))).json()

    assert in_a["created"] is True
    assert in_b["created"] is True


def test_otp_fixed_code_is_honoured(anon_client_a, settings, redis_clean):
    settings.OTP_FIXED_CODE = "123456"
    response = anon_client_a.post(
        "/api/customers/otp/verify", {"mobile": MOBILE, "otp": "123456"}, format="json"
    )
    assert response.status_code == 200


def test_a_code_for_one_store_does_not_sign_in_on_another(store_a, store_b, redis_clean):
    api_client(store_host(store_a)).post(
        "/api/customers/otp/request", {"mobile": MOBILE}, format="json"
    )
    code = _sent_code()

    response = api_client(store_host(store_b)).post(
        "/api/customers/otp/verify", {"mobile": MOBILE, "otp": code}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "otp_not_requested"
    with in_store(store_b):
        assert Customer.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"mobile": "12345", "otp": "WRONG"}, "invalid_mobile"),
        ({"mobile": MOBILE}, "required"),
        ({"otp": "WRONG"}, "required"),
        ({"mobile": MOBILE, "otp": "WRONG"}, "otp_invalid"),
        ({"mobile": MOBILE, "otp": "abc"}, "otp_invalid"),
    ],
)
def test_verify_validation(anon_client_a, store_a, redis_clean, payload, code):
    anon_client_a.post("/api/customers/otp/request", {"mobile": MOBILE}, format="json")
    wrong = f"{(int(_sent_code()) + 1) % 1_000_000:06d}"  # a code that is surely not it
    payload = {key: wrong if value == "WRONG" else value for key, value in payload.items()}

    response = anon_client_a.post("/api/customers/otp/verify", payload, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    with in_store(store_a):
        assert Customer.objects.count() == 0


def test_resend_too_soon_is_429(anon_client_a, redis_clean):
    anon_client_a.post("/api/customers/otp/request", {"mobile": MOBILE}, format="json")
    again = anon_client_a.post("/api/customers/otp/request", {"mobile": MOBILE}, format="json")
    assert again.status_code == 429
    assert again.json()["code"] == "otp_resend_too_soon"
    assert int(again["Retry-After"]) > 0


def test_buyer_token_reads_own_profile(store_a, redis_clean):
    tokens = _login(api_client(store_host(store_a))).json()
    me = api_client(store_host(store_a), jwt=tokens["access"]).get("/api/customers/me")
    assert me.status_code == 200
    assert me.json() == {
        "id": tokens["customer"]["id"],
        "mobile": MOBILE,
        "name": "",
        "addresses": [],
    }


def test_buyer_token_of_store_b_is_refused_on_store_a_even_when_ids_collide(store_a, store_b):
    client_b_on_b, customer_b_id = buyer_client(store_b, mobile="+919800000077")
    with in_store(store_a):
        # Store A has a customer with the very same id, which must not be reachable.
        Customer.objects.create(id=customer_b_id, mobile="+919800000088")
    client_b_on_b.defaults["HTTP_HOST"] = store_host(store_a)

    response = client_b_on_b.get("/api/customers/me")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert "+919800000088" not in response.content.decode()


def test_seller_token_is_refused_on_buyer_endpoints(store_a, seller_a):
    client = seller_client(store_a, seller_a)
    for response in (
        client.get("/api/customers/me"),
        client.get("/api/customers/me/orders"),
        client.post("/api/orders", {}, format="json"),
    ):
        assert response.status_code == 401


def test_api_token_is_refused_on_buyer_endpoints(store_a, api_token_a):
    client = api_client(store_host(store_a), token=api_token_a)
    assert client.get("/api/customers/me").status_code == 401


def test_buyer_token_is_refused_on_seller_order_endpoints(store_a):
    client, _ = buyer_client(store_a)
    for response in (
        client.get("/api/orders"),
        client.get("/api/orders/1"),
        client.post("/api/orders/1/status", {"status": "accepted"}, format="json"),
    ):
        assert response.status_code == 401


def test_refresh_gives_a_new_access_token_for_this_store_only(store_a, store_b):
    with in_store(store_a):
        customer = Customer.objects.create(mobile=MOBILE)
    tokens = customer_token_pair(customer=customer, schema_name=store_a.schema_name)

    own = api_client(store_host(store_a)).post(
        "/api/customers/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    other = api_client(store_host(store_b)).post(
        "/api/customers/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    )

    assert own.status_code == 200
    me = api_client(store_host(store_a), jwt=own.json()["access"]).get("/api/customers/me")
    assert me.json()["id"] == customer.id
    assert other.status_code == 401
    assert other.json()["code"] == "token_invalid"


def test_seller_refresh_token_is_refused_by_the_buyer_refresh(store_a, seller_a):
    refresh = seller_token_pair(seller_a)["refresh"]
    response = api_client(store_host(store_a)).post(
        "/api/customers/token/refresh", {"refresh": refresh}, format="json"
    )
    assert response.status_code == 401


def test_garbage_bearer_is_401(store_a):
    client = api_client(store_host(store_a), jwt="not.a.jwt")
    response = client.get("/api/customers/me")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
