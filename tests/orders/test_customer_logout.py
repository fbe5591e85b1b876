"""Buyer sign-out on the store host: the refresh token is revoked by its jti (no Seller row)."""

from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import UntypedToken

from saas.api.authentication import seller_token_pair
from tenant_apps.orders.authentication import customer_token_pair
from tenant_apps.orders.models import Customer
from tests.support.stores import api_client, in_store, store_host


def buyer_tokens(store, mobile="+919811111111") -> dict:
    with in_store(store):
        customer, _ = Customer.objects.get_or_create(mobile=mobile)
        return customer_token_pair(customer=customer, schema_name=store.schema_name)


def refresh_status(store, refresh: str) -> int:
    client = api_client(store_host(store))
    return client.post(
        "/api/customers/token/refresh", {"refresh": refresh}, format="json"
    ).status_code


def test_buyer_pairs_are_recorded_without_a_seller(store_a):
    tokens = buyer_tokens(store_a)

    # Customer 1 of this store is not Seller 1: the record names no user.
    recorded = OutstandingToken.objects.get(jti=UntypedToken(tokens["refresh"])["jti"])
    assert (recorded.user_id, recorded.token) == (None, "")


def test_buyer_logout_revokes_the_refresh_token(store_a, anon_client_a):
    signed_out = buyer_tokens(store_a)
    other_device = buyer_tokens(store_a)

    response = anon_client_a.post(
        "/api/customers/logout", {"refresh": signed_out["refresh"]}, format="json"
    )

    assert response.status_code == 204
    assert refresh_status(store_a, signed_out["refresh"]) == 401
    assert refresh_status(store_a, other_device["refresh"]) == 200
    revoked = BlacklistedToken.objects.get()
    assert revoked.token.jti == UntypedToken(signed_out["refresh"], verify=False)["jti"]
    assert revoked.token.user_id is None


def test_buyer_logout_refuses_another_stores_token_and_a_sellers(store_a, store_b, seller_a):
    of_store_b = buyer_tokens(store_b)
    seller = seller_token_pair(seller_a)
    client = api_client(store_host(store_a))

    foreign = client.post(
        "/api/customers/logout", {"refresh": of_store_b["refresh"]}, format="json"
    )
    wrong_kind = client.post("/api/customers/logout", {"refresh": seller["refresh"]}, format="json")

    assert (foreign.status_code, foreign.json()["code"]) == (401, "token_invalid")
    assert (wrong_kind.status_code, wrong_kind.json()["code"]) == (401, "token_invalid")
    assert BlacklistedToken.objects.count() == 0
    assert refresh_status(store_b, of_store_b["refresh"]) == 200


def test_a_revoked_buyer_refresh_token_is_refused_again(store_a, anon_client_a):
    tokens = buyer_tokens(store_a)
    anon_client_a.post("/api/customers/logout", {"refresh": tokens["refresh"]}, format="json")

    again = anon_client_a.post(
        "/api/customers/logout", {"refresh": tokens["refresh"]}, format="json"
    )

    assert (again.status_code, again.json()["code"]) == (401, "token_invalid")
    assert BlacklistedToken.objects.count() == 1
