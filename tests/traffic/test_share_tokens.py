"""Read-only share links of the chart pages: made, listed and revoked by the API; a key opens
the charts of its seller in its store and is a credential nowhere else."""

import re
from urllib.parse import urljoin

import pytest
from django.test import Client

from saas.access.tokens import key_hash
from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import StoreMembership
from tenant_apps.traffic.models import ShareToken
from tenant_apps.traffic.tasks import traffic_fetch_task
from tests.support.stores import api_client, in_store, store_host

FULL_NAME = "HackSoftware/Django-Styleguide"


@pytest.fixture
def fetched(traffic_store, store_a):
    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
    return traffic_store


def page(store, path):
    return Client(HTTP_HOST=store_host(store)).get(path)


def share(client, name="For the team") -> dict:
    response = client.post("/api/traffic/share-tokens", {"name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_create_answers_the_key_once_and_stores_only_its_hash(client_a, store_a, seller_a):
    body = share(client_a)

    assert set(body) == {"id", "name", "key", "url"}
    assert body["name"] == "For the team"
    key = body["key"]
    assert key.startswith("shr_") and len(key) == 36
    assert body["url"] == f"http://alpha.localhost:8000/users/{key}/repos"
    with in_store(store_a):
        row = ShareToken.objects.get()
        assert (row.pk, row.seller_id, row.key_hash) == (body["id"], seller_a.pk, key_hash(key))
        stored = [str(value) for value in ShareToken.objects.values().get().values()]
    assert not any(key in value for value in stored)


def test_list_shows_the_callers_links_without_keys(client_a, store_a, member_a):
    first = share(client_a, "first")
    second = share(client_a, "second")
    _, member_key = member_a
    share(api_client(store_host(store_a), token=member_key), "the member's own")

    response = client_a.get("/api/traffic/share-tokens")

    assert response.status_code == 200
    listed = response.json()
    assert [(item["id"], item["name"]) for item in listed] == [
        (second["id"], "second"),
        (first["id"], "first"),
    ]
    assert set(listed[0]) == {"id", "name", "prefix", "created_at", "last_used_at"}
    assert listed[0]["prefix"] == second["key"][:12]
    assert listed[0]["last_used_at"] is None
    assert second["key"] not in response.content.decode()


def test_a_share_link_opens_the_sellers_charts_without_writing_the_key(fetched, client_a, store_a):
    key = share(client_a)["key"]

    listing = page(store_a, f"/users/{key}/repos")
    detail = page(store_a, f"/users/{key}/repos/{fetched.id}")

    assert listing.status_code == 200
    assert [item["repository"].id for item in listing.context["repositories"]] == [fetched.id]
    assert detail.status_code == 200
    assert detail.context["repository"].id == fetched.id
    assert f'href="repos/{fetched.id}"' in listing.content.decode()
    assert 'href="../repos"' in detail.content.decode()
    assert key not in listing.content.decode() + detail.content.decode()
    assert "no-store" in detail["Cache-Control"]
    listed = client_a.get("/api/traffic/share-tokens").json()
    assert listed[0]["last_used_at"] is not None


def test_the_pages_relative_links_lead_where_they_say(fetched, client_a, store_a):
    key = share(client_a)["key"]
    listing_path = f"/users/{key}/repos?start=2024-02-20"
    listing = page(store_a, listing_path).content.decode()

    detail_href = re.search(r'<h2><a href="([^"]+)"', listing).group(1)
    detail_path = urljoin(listing_path, detail_href)
    detail = page(store_a, detail_path)
    back_href = re.search(r'<a href="([^"]+)">All repositories</a>', detail.content.decode())
    back_path = urljoin(detail_path, back_href.group(1))

    assert detail_path == f"/users/{key}/repos/{fetched.id}?start=2024-02-20"
    assert detail.status_code == 200
    assert back_path == f"/users/{key}/repos?start=2024-02-20"
    assert page(store_a, back_path).status_code == 200


def test_a_revoked_share_link_gives_404(fetched, client_a, store_a):
    body = share(client_a)

    revoked = client_a.delete(f"/api/traffic/share-tokens/{body['id']}")

    assert revoked.status_code == 204
    for path in (f"/users/{body['key']}/repos", f"/users/{body['key']}/repos/{fetched.id}"):
        response = page(store_a, path)
        assert response.status_code == 404, path
        assert FULL_NAME not in response.content.decode()
    assert client_a.get("/api/traffic/share-tokens").json() == []
    again = client_a.delete(f"/api/traffic/share-tokens/{body['id']}")
    assert (again.status_code, again.json()["code"]) == (404, "share_token_not_found")


def test_a_share_key_is_no_api_token(fetched, client_a, store_a):
    key = share(client_a)["key"]
    host = store_host(store_a)

    as_header = api_client(host, token=key).get("/api/repos")
    as_authorization = Client(HTTP_HOST=host).get("/api/repos", HTTP_AUTHORIZATION=f"Token {key}")
    as_bearer = api_client(host, jwt=key).get("/api/repos")

    assert (as_header.status_code, as_header.json()["code"]) == (401, "authentication_failed")
    assert as_authorization.status_code == 401
    assert as_bearer.status_code == 401
    # Nor does it make links: it cannot list, make or revoke share tokens.
    other = api_client(host, token=key)
    assert other.post("/api/traffic/share-tokens", {"name": "x"}, format="json").status_code == 401
    with in_store(store_a):
        assert ShareToken.objects.count() == 1


def test_another_member_cannot_revoke_my_link(fetched, client_a, store_a, member_a):
    body = share(client_a)
    _, member_key = member_a

    response = api_client(store_host(store_a), token=member_key).delete(
        f"/api/traffic/share-tokens/{body['id']}"
    )

    assert (response.status_code, response.json()["code"]) == (404, "share_token_not_found")
    assert page(store_a, f"/users/{body['key']}/repos").status_code == 200


def test_a_share_link_works_in_its_own_store_only(fetched, client_a, store_b):
    key = share(client_a)["key"]

    assert page(store_b, f"/users/{key}/repos").status_code == 404
    assert page(store_b, f"/users/{key}/repos/{fetched.id}").status_code == 404


def test_store_b_credentials_cannot_manage_store_a_links(client_a, store_a, seller_b):
    body = share(client_a)
    foreign = api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"])

    assert foreign.get("/api/traffic/share-tokens").status_code == 403
    assert foreign.delete(f"/api/traffic/share-tokens/{body['id']}").status_code == 403
    assert (
        foreign.post("/api/traffic/share-tokens", {"name": "x"}, format="json").status_code == 403
    )
    with in_store(store_a):
        assert list(ShareToken.objects.values_list("pk", flat=True)) == [body["id"]]


def test_a_link_stops_when_its_seller_leaves_the_store(fetched, store_a, member_a):
    member, member_key = member_a
    key = share(api_client(store_host(store_a), token=member_key))["key"]
    assert page(store_a, f"/users/{key}/repos").status_code == 200

    StoreMembership.objects.filter(store=store_a, seller=member).delete()

    assert page(store_a, f"/users/{key}/repos").status_code == 404


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}])
def test_create_needs_a_name(client_a, store_a, body):
    response = client_a.post("/api/traffic/share-tokens", body, format="json")

    assert response.status_code == 400
    with in_store(store_a):
        assert ShareToken.objects.count() == 0
