"""Helpers of console tests: a browser-like client signed in to a store host."""

from django.test import Client

from shared_apps.accounts.models import Seller
from tests.support.stores import in_store, store_host


def console_client(store, seller: Seller | None = None) -> Client:
    """A Django test client on `store`'s host, signed in as `seller` (its owner by default)."""
    client = Client(HTTP_HOST=store_host(store))
    with in_store(store):  # sessions live in each store's schema
        client.force_login(
            seller or store.owner, backend="django.contrib.auth.backends.ModelBackend"
        )
    return client
