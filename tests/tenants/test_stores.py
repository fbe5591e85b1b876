import json

import pytest
from django.db import connection
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from saas.api.authentication import seller_token_pair
from saas.tools import store_default_schedules
from shared_apps.accounts.models import Seller, StoreMembership
from tenants.models import Store, StoreSchedule
from tenants.services import store_create, store_delete
from tests.support.stores import PLATFORM_HOST, api_client


@pytest.fixture
def seller(db) -> Seller:
    return Seller.objects.create_user(mobile="+919811111111")


@pytest.fixture
def seller_client(seller):
    return api_client(PLATFORM_HOST, jwt=seller_token_pair(seller)["access"])


def schema_tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_create_store_provisions_schema_domain_owner_and_schedules(seller_client, seller):
    response = seller_client.post(
        "/api/stores", {"name": "Acme Shoes", "address": "5 Main Rd", "timezone": "Asia/Kolkata"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "name": "Acme Shoes",
        "address": "5 Main Rd",
        "slug": "acme-shoes",
        "timezone": "Asia/Kolkata",
        "link": "http://acme-shoes.localhost:8000/",
        "domain": "acme-shoes.localhost",
    }
    store = Store.objects.get(slug="acme-shoes")
    assert store.schema_name == "store_acme_shoes"
    assert "django_session" in schema_tables("store_acme_shoes")
    assert schema_tables("store_acme_shoes") == schema_tables("store_template")
    assert StoreMembership.objects.get(store=store).seller == seller
    assert StoreMembership.objects.get(store=store).role == "owner"
    schedules = {s.key: s.periodic_task for s in StoreSchedule.objects.filter(store=store)}
    assert set(schedules) == {d.key for d in store_default_schedules()}
    digest = schedules["signup-digest"]
    assert json.loads(digest.headers) == {"_schema_name": "store_acme_shoes"}
    assert (digest.crontab.minute, digest.crontab.hour, digest.crontab.day_of_week) == (
        "0",
        "8",
        "1,3",
    )
    assert digest.task == "tenant_apps.signups.tasks.signup_digest_task"


def test_slug_collisions_get_numbered(seller_client):
    slugs = [
        seller_client.post("/api/stores", {"name": name}, format="json").json()["slug"]
        for name in ("Acme", "ACME", "acme!")
    ]
    assert slugs == ["acme", "acme-2", "acme-3"]


def test_long_names_keep_the_suffix_within_the_limit(seller_client):
    name = "x" * 60
    first = seller_client.post("/api/stores", {"name": name}, format="json").json()["slug"]
    second = seller_client.post("/api/stores", {"name": name}, format="json").json()["slug"]
    assert first == "x" * 40
    assert second == "x" * 38 + "-2"


@pytest.mark.parametrize(
    "body, code",
    [
        ({"name": "www"}, "reserved_name"),
        ({"name": "Admin"}, "reserved_name"),
        ({"name": "!!!"}, "invalid_name"),
        ({"name": "Fine", "timezone": "Mars/Olympus"}, "invalid_timezone"),
        ({}, "required"),
    ],
)
def test_create_store_refuses_bad_input(seller_client, body, code):
    before = Store.objects.count()
    response = seller_client.post("/api/stores", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Store.objects.count() == before


def test_create_store_needs_a_seller(platform_client):
    response = platform_client.post("/api/stores", {"name": "Acme"}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_store_list_shows_the_callers_stores_with_role(store_a, seller_a, seller_b):
    StoreMembership.objects.create(store=store_a, seller=seller_b, role="staff")
    client = api_client(PLATFORM_HOST, jwt=seller_token_pair(seller_b)["access"])

    response = client.get("/api/stores")

    assert [(s["slug"], s["role"]) for s in response.json()] == [
        ("alpha", "staff"),
        ("beta", "owner"),
    ]


@pytest.mark.parametrize(
    "link",
    [
        "http://alpha.localhost:8000/",
        "alpha",
        "alpha.localhost",
        "https://ALPHA.localhost/shop?x=1",
    ],
)
def test_resolve_store_link(platform_client, store_a, link):
    response = platform_client.get("/api/stores/resolve", {"link": link})
    assert response.status_code == 200
    assert response.json() == {
        "id": store_a.pk,
        "name": "Alpha",
        "address": "1 alpha street",
        "link": "http://alpha.localhost:8000/",
    }


@pytest.mark.parametrize("link", ["", "nope", "http://localhost:8000/", "store-template"])
def test_resolve_unknown_link_is_404(platform_client, link):
    response = platform_client.get("/api/stores/resolve", {"link": link})
    assert response.status_code == 404
    assert response.json()["code"] == "store_not_found"


def test_current_store_on_store_host(client_a, store_a):
    response = client_a.get("/api/store")
    assert response.json() == {
        "id": store_a.pk,
        "name": "Alpha",
        "slug": "alpha",
        "address": "1 alpha street",
        "timezone": "Asia/Kolkata",
        "link": "http://alpha.localhost:8000/",
        "role": "owner",
        # The selling settings, at their defaults (docs/commerce.md).
        "currency": "INR",
        "delivery_fee": "0.00",
        "free_delivery_above": None,
        "tax_rate": "0.00",
        "tax_inclusive": True,
        "cod_enabled": True,
        "upi_id": None,
    }


def test_unknown_host_is_a_json_404(db):
    response = api_client("nobody.localhost").get("/api/store")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_host"


def test_template_schema_is_not_reachable(db):
    response = api_client("store-template.localhost").get("/api/store")
    assert response.status_code == 404


def test_store_delete_removes_its_schedules_and_schema(seller):
    store = store_create(owner=seller, name="Short lived")
    task_ids = list(
        StoreSchedule.objects.filter(store=store).values_list("periodic_task", flat=True)
    )
    crontab_ids = list(
        PeriodicTask.objects.filter(id__in=task_ids).values_list("crontab", flat=True)
    )

    store_delete(store=store)

    assert len(task_ids) == len(store_default_schedules())
    assert not PeriodicTask.objects.filter(id__in=task_ids).exists()
    assert not CrontabSchedule.objects.filter(id__in=crontab_ids).exists()
    assert schema_tables("store_short_lived") == set()
    assert not Store.objects.filter(slug="short-lived").exists()


def test_create_store_command(seller, capsys):
    from django.core.management import call_command

    call_command("create_store", name="Cli Shop", owner_mobile=seller.mobile)

    store = Store.objects.get(slug="cli-shop")
    assert StoreMembership.objects.get(store=store).seller == seller
    assert "http://cli-shop.localhost:8000/" in capsys.readouterr().out
