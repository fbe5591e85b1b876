"""Members manage their store's widget sites; nobody else sees or changes them."""

import re

import pytest

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.signups.models import WidgetSite
from tests.support.stores import api_client, in_store, store_host

KEY_PATTERN = re.compile(r"^pk_[A-Za-z0-9_-]{24,}$")


def sites_in(store) -> list[WidgetSite]:
    with in_store(store):
        return list(WidgetSite.objects.order_by("id"))


def test_every_store_starts_with_a_default_site_for_its_own_link(store_a, client_a):
    response = client_a.get("/api/widget/sites")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [site] = body["results"]
    assert set(site) == {"id", "name", "key", "allowed_origins", "is_active", "created_at"}
    assert site["name"] == "Alpha website"
    assert site["allowed_origins"] == ["http://alpha.localhost:8000"]
    assert site["is_active"] is True
    assert KEY_PATTERN.match(site["key"])


def test_member_creates_a_site_with_normalised_origins(store_a, client_a):
    response = client_a.post(
        "/api/widget/sites",
        {
            "name": "  Blog ",
            "allowed_origins": [
                "HTTPS://Blog.Example.com/",
                "https://blog.example.com:443",
                "http://localhost:8081",
                "http://[::1]:3000",
            ],
        },
        format="json",
    )

    assert response.status_code == 201
    site = response.json()
    assert site["name"] == "Blog"
    assert site["allowed_origins"] == [
        "https://blog.example.com",
        "http://localhost:8081",
        "http://[::1]:3000",
    ]
    assert site["is_active"] is True
    assert KEY_PATTERN.match(site["key"])
    assert [s.key for s in sites_in(store_a)][-1] == site["key"]


@pytest.mark.parametrize(
    "origin",
    ["blog.example.com", "ftp://blog.example.com", "https://blog.example.com/path",
     "https://*.example.com", "https://user@blog.example.com", "https://blog.example.com?q=1",
     "https://", "", "https://blog.example.com:99999"],
)  # fmt: skip
def test_a_site_refuses_what_is_not_an_exact_origin(store_a, client_a, origin):
    response = client_a.post(
        "/api/widget/sites", {"name": "Bad", "allowed_origins": [origin]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_origin"
    assert len(sites_in(store_a)) == 1


def test_create_needs_a_name(store_a, client_a):
    missing = client_a.post("/api/widget/sites", {"allowed_origins": []}, format="json")
    blank = client_a.post("/api/widget/sites", {"name": "   "}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (400, "required")
    assert (blank.status_code, blank.json()["code"]) == (400, "blank")
    assert len(sites_in(store_a)) == 1


def test_patch_changes_only_the_given_fields(store_a, client_a, site_a):
    response = client_a.patch(
        f"/api/widget/sites/{site_a.id}", {"allowed_origins": ["https://new.example"]},
        format="json",
    )  # fmt: skip
    off = client_a.patch(f"/api/widget/sites/{site_a.id}", {"is_active": False}, format="json")

    assert response.status_code == 200
    assert response.json()["allowed_origins"] == ["https://new.example"]
    assert response.json()["name"] == "Alpha website"
    assert response.json()["key"] == site_a.key
    assert off.json()["is_active"] is False
    [stored] = sites_in(store_a)
    assert (stored.allowed_origins, stored.is_active) == (["https://new.example"], False)


def test_patch_with_a_bad_origin_changes_nothing(store_a, client_a, site_a):
    response = client_a.patch(
        f"/api/widget/sites/{site_a.id}",
        {"name": "Renamed", "allowed_origins": ["not an origin"]},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid_origin")
    [stored] = sites_in(store_a)
    assert stored.name == "Alpha website"


def test_patch_and_rotate_of_an_unknown_site_are_404(client_a):
    patch = client_a.patch("/api/widget/sites/999", {"name": "x"}, format="json")
    rotate = client_a.post("/api/widget/sites/999/rotate-key")
    assert (patch.status_code, patch.json()["code"]) == (404, "site_not_found")
    assert (rotate.status_code, rotate.json()["code"]) == (404, "site_not_found")


def test_rotate_key_replaces_the_key_and_the_old_one_stops_working(store_a, client_a, site_a):
    from tests.support.signups import widget_client

    before = widget_client(store_a).post(
        f"/api/widget/signups?key={site_a.key}", {"email": "b@example.com"}, format="json"
    )  # the endpoint now holds the site in its cache
    response = client_a.post(f"/api/widget/sites/{site_a.id}/rotate-key")

    assert response.status_code == 200
    new_key = response.json()["key"]
    assert KEY_PATTERN.match(new_key)
    assert new_key != site_a.key
    old = widget_client(store_a).post(
        f"/api/widget/signups?key={site_a.key}", {"email": "o@example.com"}, format="json"
    )
    new = widget_client(store_a).post(
        f"/api/widget/signups?key={new_key}", {"email": "n@example.com"}, format="json"
    )
    assert (before.status_code, old.status_code, new.status_code) == (201, 403, 201)


def test_api_token_of_a_member_works(store_a, api_token_a):
    client = api_client(store_host(store_a), token=api_token_a)
    assert client.get("/api/widget/sites").status_code == 200


def test_staff_member_may_manage_sites(store_a):
    staff = Seller.objects.create_user(mobile="+919800000099")
    StoreMembership.objects.create(store=store_a, seller=staff, role="staff")
    client = api_client(store_host(store_a), jwt=seller_token_pair(staff)["access"])
    response = client.post("/api/widget/sites", {"name": "Staff site"}, format="json")
    assert response.status_code == 201


def test_store_b_credentials_are_refused_on_store_a(store_a, store_b, seller_b, api_token_b):
    jwt_b = api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"])
    token_b = api_client(store_host(store_a), token=api_token_b)
    site_id = sites_in(store_a)[0].id

    for client in (jwt_b, token_b):
        listing = client.get("/api/widget/sites")
        created = client.post("/api/widget/sites", {"name": "Intruder"}, format="json")
        patched = client.patch(f"/api/widget/sites/{site_id}", {"name": "x"}, format="json")
        rotated = client.post(f"/api/widget/sites/{site_id}/rotate-key")
        for response in (listing, created, patched, rotated):
            assert response.status_code == 403
            assert response.json()["code"] == "permission_denied"
            assert "pk_" not in response.content.decode()
    assert [s.name for s in sites_in(store_a)] == ["Alpha website"]


def test_anonymous_is_401(anon_client_a):
    response = anon_client_a.get("/api/widget/sites")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_switching_off_or_narrowing_origins_takes_effect_at_once(store_a, client_a, site_a):
    from tests.support.signups import SHOP_ORIGIN, widget_client

    def signup(email, origin=SHOP_ORIGIN):
        return widget_client(store_a, origin=origin).post(
            f"/api/widget/signups?key={site_a.key}", {"email": email}, format="json"
        )

    assert signup("one@example.com").status_code == 201  # cached from here on
    client_a.patch(
        f"/api/widget/sites/{site_a.id}", {"allowed_origins": ["https://other.example"]},
        format="json",
    )  # fmt: skip
    narrowed = signup("two@example.com")
    moved = signup("three@example.com", origin="https://other.example")
    client_a.patch(f"/api/widget/sites/{site_a.id}", {"is_active": False}, format="json")
    off = signup("four@example.com", origin="https://other.example")

    assert (narrowed.status_code, narrowed.json()["code"]) == (403, "origin_not_allowed")
    assert moved.status_code == 201
    assert (off.status_code, off.json()["code"]) == (403, "invalid_site_key")
