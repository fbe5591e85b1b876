"""The sign-in hand-off from the platform host to a store host.

A seller signed in on the platform opens a store's console without a second code: the platform
signs a short-lived token naming the seller and the store, the browser carries it to the store
host, which redeems it once and starts a session there (sessions live in each store's schema,
so a platform session means nothing on a store host). The token is single-use: its nonce is
recorded in Redis for longer than its lifetime; a replay, another store's token, an expired
or altered one, or a seller who is no longer a member is refused.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from redis.exceptions import RedisError

from shared_apps.accounts.links import LinkTokenError, link_token_make, link_token_read
from shared_apps.accounts.models import Seller

from .membership import seller_membership

HANDOFF_SALT = "console-handoff"
HANDOFF_LIFETIME = timedelta(seconds=60)
HANDOFF_PATH = "/console/handoff"


def handoff_url(*, seller: Seller, store, next_path: str = "/console/") -> str:
    """The store-host address that signs `seller` in to `store` and opens `next_path`."""
    token = link_token_make(
        {"seller": seller.pk, "store": store.pk, "nonce": secrets.token_urlsafe(16)},
        salt=HANDOFF_SALT,
    )
    query = urlencode({"token": token, "next": next_path})
    return f"{store.link.rstrip('/')}{HANDOFF_PATH}?{query}"


def handoff_redeem(*, token: str, store) -> Seller | None:
    """The seller a valid, unused hand-off token for `store` names; None for any other token."""
    try:
        payload = link_token_read(token, salt=HANDOFF_SALT, max_age=HANDOFF_LIFETIME)
    except LinkTokenError:
        return None
    nonce = payload.get("nonce")
    if payload.get("store") != store.pk or not isinstance(nonce, str):
        return None
    try:
        # Keys are per schema (django_tenants.cache.make_key): a nonce is spent in its store.
        first_use = cache.add(f"handoff:{nonce}", 1, timeout=HANDOFF_LIFETIME.seconds * 2)
    except RedisError:
        return None  # cannot prove it unused: the seller signs in with a code instead
    if not first_use:
        return None
    seller = Seller.objects.filter(pk=payload.get("seller"), is_active=True).first()
    if seller is None or seller_membership(seller=seller, store_id=store.pk) is None:
        return None
    return seller
