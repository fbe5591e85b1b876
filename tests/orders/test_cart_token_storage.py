"""Cart tokens: the client keeps the token, the store's table only its SHA-256."""

import hashlib
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.utils import timezone

from tenant_apps.orders.models import Cart
from tests.support.factories import product_make
from tests.support.stores import in_store

token_migration = import_module("tenant_apps.orders.migrations.0002_cart_token_hash")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def stored_cart_rows(store) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{store.schema_name}".orders_cart')
        return cursor.fetchall()


def test_the_cart_row_holds_no_plain_token(anon_client_a, store_a):
    token = anon_client_a.post("/api/cart").json()["token"]

    rows = stored_cart_rows(store_a)

    assert len(rows) == 1
    assert not any(token in str(value) for value in rows[0])
    with in_store(store_a):
        assert Cart.objects.get().token_hash == sha256(token)


def test_the_cart_is_found_by_the_hash_of_the_clients_token(anon_client_a, store_a):
    with in_store(store_a):
        tea = product_make("Tea", sale_price="40.00")
    token = anon_client_a.post("/api/cart").json()["token"]

    changed = anon_client_a.put(
        "/api/cart/items", {"product_id": tea.id, "quantity": 2}, format="json",
        HTTP_X_CART_TOKEN=token,
    )  # fmt: skip
    read = anon_client_a.get("/api/cart", HTTP_X_CART_TOKEN=token)
    by_hash = anon_client_a.get("/api/cart", HTTP_X_CART_TOKEN=sha256(token))

    assert changed.status_code == 200 and changed.json()["token"] == token
    assert read.status_code == 200
    assert (read.json()["token"], read.json()["total"]) == (token, "80.00")
    # The stored hash is no key: sent as a token it finds nothing.
    assert (by_hash.status_code, by_hash.json()["code"]) == (404, "cart_not_found")


def test_the_migration_hashes_existing_tokens_in_place(store_a, anon_client_a):
    plain = "Q2hhaSBhbmQgc2Ftb3NhcywgcGxlYXNlIDEyMzQ1Njc4OQ"
    with in_store(store_a):
        # A row as the table held it before the migration: the token in plain text.
        before = Cart.objects.create(token_hash=plain, last_activity_at=timezone.now())
        already = Cart.objects.create(
            token_hash=sha256("made after"), last_activity_at=timezone.now()
        )

        token_migration.cart_tokens_hash(apps, None)

        assert Cart.objects.get(pk=before.pk).token_hash == sha256(plain)
        assert Cart.objects.get(pk=already.pk).token_hash == sha256("made after")
        assert Cart.objects.count() == 2
    # The buyer's client still holds the same token, and it still opens the cart.
    response = anon_client_a.get("/api/cart", HTTP_X_CART_TOKEN=plain)
    assert (response.status_code, response.json()["token"]) == (200, plain)
