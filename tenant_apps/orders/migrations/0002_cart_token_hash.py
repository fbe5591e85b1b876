"""Cart tokens are stored hashed: the column is renamed and every existing token is replaced by
its SHA-256 in place, so carts in use keep working (looked up by the hash of the same token)."""

import hashlib
import re

from django.db import migrations

BATCH = 1000
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def cart_tokens_hash(apps, schema_editor):
    """Replace each plain token by its SHA-256 (hex). A value that already is one is left: a
    plain token (`secrets.token_urlsafe(32)`, 43 characters) never looks like that."""
    Cart = apps.get_model("orders", "Cart")
    changed = []
    for cart in Cart.objects.only("pk", "token_hash").order_by("pk").iterator(chunk_size=BATCH):
        if SHA256_HEX.match(cart.token_hash):
            continue
        cart.token_hash = hashlib.sha256(cart.token_hash.encode()).hexdigest()
        changed.append(cart)
        if len(changed) == BATCH:
            Cart.objects.bulk_update(changed, ["token_hash"])
            changed = []
    Cart.objects.bulk_update(changed, ["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="cart", old_name="token", new_name="token_hash"),
        # Backwards the hashes stay: a hash cannot give its token back (old carts are lost,
        # as idle carts are after 30 days anyway).
        migrations.RunPython(cart_tokens_hash, migrations.RunPython.noop),
    ]
