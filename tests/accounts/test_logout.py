"""Seller sign-out: one refresh token (logout) or all of a seller's (logout-all), for good."""

from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import UntypedToken

from saas.api.authentication import seller_token_pair
from shared_apps.accounts import sms
from tenant_apps.orders.authentication import customer_token_pair
from tenant_apps.orders.models import Customer
from tests.support.stores import PLATFORM_HOST, api_client, in_store

MOBILE = "+919876543210"


def jti(refresh: str) -> str:
    """The token's id, read without checking it (a revoked token no longer validates)."""
    return UntypedToken(refresh, verify=False)["jti"]


def refresh_answer(client, refresh: str):
    return client.post("/api/auth/token/refresh", {"refresh": refresh}, format="json")


def sign_in(client) -> dict:
    client.post("/api/auth/otp/request", {"mobile": MOBILE}, format="json")
    code = sms.outbox[-1]["text"].rsplit(" ", 1)[-1]
    response = client.post("/api/auth/otp/verify", {"mobile": MOBILE, "otp": code}, format="json")
    assert response.status_code == 200
    return response.json()


def test_a_sign_in_records_its_refresh_token_under_the_seller(platform_client, redis_clean):
    body = sign_in(platform_client)

    recorded = OutstandingToken.objects.get(jti=jti(body["refresh"]))
    assert recorded.user_id == body["seller"]["id"]
    # The row is enough to revoke the token and holds no usable token itself.
    assert recorded.token == ""
    assert not BlacklistedToken.objects.filter(token=recorded).exists()


def test_logout_revokes_that_refresh_token_only(platform_client, seller_a):
    signed_out = seller_token_pair(seller_a)
    other_session = seller_token_pair(seller_a)

    response = platform_client.post(
        "/api/auth/logout", {"refresh": signed_out["refresh"]}, format="json"
    )

    assert response.status_code == 204
    refused = refresh_answer(platform_client, signed_out["refresh"])
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_invalid"
    assert refresh_answer(platform_client, other_session["refresh"]).status_code == 200
    assert list(BlacklistedToken.objects.values_list("token__jti", flat=True)) == [
        jti(signed_out["refresh"])
    ]


def test_a_revoked_refresh_token_cannot_log_out_again_or_be_refreshed(platform_client, seller_a):
    pair = seller_token_pair(seller_a)
    platform_client.post("/api/auth/logout", {"refresh": pair["refresh"]}, format="json")

    again = platform_client.post("/api/auth/logout", {"refresh": pair["refresh"]}, format="json")

    assert again.status_code == 401
    assert again.json()["code"] == "token_invalid"
    assert BlacklistedToken.objects.count() == 1


def test_logout_refuses_garbage_and_a_buyers_refresh_token(platform_client, store_a):
    with in_store(store_a):
        customer = Customer.objects.create(mobile="+919811111111")
        buyer = customer_token_pair(customer=customer, schema_name=store_a.schema_name)

    garbage = platform_client.post("/api/auth/logout", {"refresh": "abc"}, format="json")
    foreign = platform_client.post("/api/auth/logout", {"refresh": buyer["refresh"]}, format="json")

    assert (garbage.status_code, garbage.json()["code"]) == (401, "token_invalid")
    assert (foreign.status_code, foreign.json()["code"]) == (401, "token_invalid")
    assert BlacklistedToken.objects.count() == 0


def test_logout_all_revokes_every_refresh_token_of_the_seller(seller_a, seller_b):
    sessions = [seller_token_pair(seller_a) for _ in range(3)]
    other_seller = seller_token_pair(seller_b)
    client = api_client(PLATFORM_HOST, jwt=sessions[0]["access"])

    response = client.post("/api/auth/logout-all")

    assert response.status_code == 200
    assert response.json() == {"revoked": 3}
    for session in sessions:
        assert refresh_answer(client, session["refresh"]).status_code == 401
    assert refresh_answer(client, other_seller["refresh"]).status_code == 200
    # Nothing of the other seller's was touched, and a second call finds nothing left.
    assert client.post("/api/auth/logout-all").json() == {"revoked": 0}
    assert BlacklistedToken.objects.filter(token__user=seller_b).count() == 0


def test_logout_all_works_with_an_api_token_on_a_store_host(store_a, seller_a, api_token_a):
    session = seller_token_pair(seller_a)
    client = api_client(store_a.get_primary_domain().domain, token=api_token_a)

    response = client.post("/api/auth/logout-all")

    assert (response.status_code, response.json()) == (200, {"revoked": 1})
    assert refresh_answer(client, session["refresh"]).status_code == 401


def test_logout_all_needs_a_signed_in_seller(platform_client, seller_a):
    session = seller_token_pair(seller_a)

    response = platform_client.post("/api/auth/logout-all")

    assert response.status_code == 401
    assert BlacklistedToken.objects.count() == 0
    assert refresh_answer(platform_client, session["refresh"]).status_code == 200
