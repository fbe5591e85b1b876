"""Fixtures every test module shares: two stores (alpha, beta) with their owners, and clients
that speak to a given host.

The stores are made once per session (cloning a schema costs ~0.2 s); every `db` test runs in
a transaction that is rolled back, so it may change them freely. Tests that need committed data
(`transactional_db`, live servers, workers) make their own stores with `make_store`.

Only fixtures live here; the helpers they use, and that test modules import, are in
tests/support/.
"""

import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from saas.api.authentication import seller_token_pair
from saas.tenant_middleware import tenant_hosts_forget
from shared_apps.accounts import sms
from shared_apps.accounts.models import Seller
from shared_apps.accounts.services import api_token_create
from tenants.models import Store
from tenants.services import platform_tenants_ensure, store_create, store_delete
from tests.support.stores import PLATFORM_HOST, api_client, session_stores_create, store_host
from tests.support.throttles import _throttle_counters_empty  # noqa: F401  (autouse fixture)


def pytest_collection_modifyitems(items):
    """Transactional tests flush the public tables between tests; store schemas hold tables
    that point at public ones (sellers), so the flush must cascade. Django does that when the
    test case names its `available_apps`; naming all of them changes nothing else.
    (pytest-django runs these tests after all the rolled-back ones.)
    """
    from django.conf import settings

    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transactional = "transactional_db" in fixtures or "live_server" in fixtures
        if transactional or (marker is not None and marker.kwargs.get("transaction")):
            item.add_marker(
                pytest.mark.django_db(
                    transaction=True, available_apps=list(settings.INSTALLED_APPS)
                ),
                append=False,
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        session_stores_create()


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    """A request or tenant_context may leave the connection in a store's schema."""
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _store_hosts_forget_after_each_test():
    """A rolled-back test commits nothing, so the host cache hears of no bump: forget it."""
    yield
    tenant_hosts_forget()


@pytest.fixture(autouse=True)
def _clean_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def redis_clean(db):
    """Throttle counters and cached values start empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def store_a(db) -> Store:
    return Store.objects.get(slug="alpha")


@pytest.fixture
def store_b(db) -> Store:
    return Store.objects.get(slug="beta")


@pytest.fixture
def seller_a(store_a) -> Seller:
    return store_a.owner


@pytest.fixture
def seller_b(store_b) -> Seller:
    return store_b.owner


@pytest.fixture
def platform_client(db) -> APIClient:
    return api_client(PLATFORM_HOST)


@pytest.fixture
def client_a(store_a, seller_a) -> APIClient:
    """Store A's host with the owner's JWT."""
    return api_client(store_host(store_a), jwt=seller_token_pair(seller_a)["access"])


@pytest.fixture
def client_b(store_b, seller_b) -> APIClient:
    return api_client(store_host(store_b), jwt=seller_token_pair(seller_b)["access"])


@pytest.fixture
def anon_client_a(store_a) -> APIClient:
    return api_client(store_host(store_a))


@pytest.fixture
def api_token_a(seller_a) -> str:
    return api_token_create(seller=seller_a, name="tests")[1]


@pytest.fixture
def api_token_b(seller_b) -> str:
    return api_token_create(seller=seller_b, name="tests")[1]


_store_numbers = itertools.count(1)


@pytest.fixture
def make_store(transactional_db):
    """Committed stores for tests that need other processes to see them; removed afterwards."""
    platform_tenants_ensure()
    made = []

    def make(name: str | None = None, **kwargs) -> Store:
        number = next(_store_numbers)
        mobile = kwargs.pop("owner_mobile", f"+91980001{number:04d}")
        owner = Seller.objects.filter(mobile=mobile).first() or Seller.objects.create_user(
            mobile=mobile,
            mobile_verified_at=timezone.now(),  # signed in with a code
        )
        store = store_create(owner=owner, name=name or f"Live {number}", **kwargs)
        made.append(store)
        return store

    yield make
    connection.set_schema_to_public()
    for store in made:
        store_delete(store=store)
