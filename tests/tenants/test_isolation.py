"""A seller of store A is refused on store B, whatever credential they bring."""

import pytest

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import StoreMembership
from tests.support.stores import api_client, store_host


def test_owner_jwt_works_on_own_store_and_is_refused_on_another(store_a, store_b, seller_a):
    jwt = seller_token_pair(seller_a)["access"]

    own = api_client(store_host(store_a), jwt=jwt).get("/api/store")
    other = api_client(store_host(store_b), jwt=jwt).get("/api/store")

    assert own.status_code == 200
    assert other.status_code == 403
    assert other.json()["code"] == "permission_denied"
    assert "Beta" not in other.content.decode()


def test_api_token_is_refused_on_another_store(store_b, api_token_a):
    client = api_client(store_host(store_b), token=api_token_a)
    response = client.get("/api/store")
    assert response.status_code == 403


def test_authorization_token_header_is_refused_on_another_store(store_b, api_token_a):
    client = api_client(store_host(store_b))
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_a}")
    assert client.get("/api/store").status_code == 403


def test_session_of_store_a_is_unknown_on_store_b(store_a, store_b, seller_a):
    client = api_client(store_host(store_a), user=seller_a)
    assert client.get("/api/store").status_code == 200

    client.defaults["HTTP_HOST"] = store_host(store_b)
    response = client.get("/api/store")

    assert response.status_code in (401, 403)


def test_staff_member_gets_staff_role(store_b, seller_a):
    StoreMembership.objects.create(store=store_b, seller=seller_a, role="staff")
    client = api_client(store_host(store_b), jwt=seller_token_pair(seller_a)["access"])
    assert client.get("/api/store").json()["role"] == "staff"


def test_anonymous_is_401_on_store_api(anon_client_a):
    response = anon_client_a.get("/api/store")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["/admin/", "/admin/tenants/storeschedule/"])
def test_store_admin_refuses_a_seller_of_another_store(store_b, seller_a, path):
    client = api_client(store_host(store_b), user=seller_a)
    response = client.get(path)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/login") or "login" in response["Location"]
