"""Stores, hosts and clients: the pieces almost every test uses."""

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context
from rest_framework.test import APIClient

from shared_apps.accounts.models import Seller
from tenants.models import Domain, Store
from tenants.pool import store_schema_pool_fill
from tenants.services import platform_tenants_ensure, store_create

PLATFORM_HOST = "localhost"


def in_store(store: Store):
    """`with in_store(store_a):` runs ORM code inside a store's schema."""
    return tenant_context(store)


def store_host(store: Store) -> str:
    return store.get_primary_domain().domain


def api_client(host: str, **credentials) -> APIClient:
    """An API client for `host`; credentials: `jwt=`, `token=` (API token), `user=` (session)."""
    client = APIClient(HTTP_HOST=host)
    if credentials.get("jwt"):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {credentials['jwt']}")
    if credentials.get("token"):
        client.credentials(HTTP_X_API_TOKEN=credentials["token"])
    if credentials.get("user"):
        # Sessions live in each host's own schema: log in there.
        tenant = Domain.objects.select_related("tenant").get(domain=host).tenant
        with in_store(tenant):
            client.force_login(credentials["user"])
    return client


def session_stores_create() -> None:
    """The platform and the two stores every test may use: alpha (Asia/Kolkata) and beta
    (America/New_York), each with its owner."""
    # Never write the session's stores into a development database.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
    platform_tenants_ensure()
    for slug, mobile in (("alpha", "+919800000001"), ("beta", "+919800000002")):
        if Store.objects.filter(slug=slug).exists():
            continue
        # Owners who signed in with a mobile code: verified, so their stores send mail.
        owner = Seller.objects.create_user(
            mobile=mobile, email=f"owner@{slug}.example.com", mobile_verified_at=timezone.now()
        )
        store_create(
            owner=owner, name=slug.capitalize(), slug=slug, address=f"1 {slug} street",
            timezone="Asia/Kolkata" if slug == "alpha" else "America/New_York",
        )  # fmt: skip
    # Spare schemas for the stores tests make (a rolled-back test hands its spare back).
    store_schema_pool_fill()
    connection.set_schema_to_public()
