"""The storefront's rendered answers, kept per store in Redis under the catalogue's version.

Every product or category change calls `catalogue_changed()` inside its transaction; once the
transaction commits the store's version becomes a new random token, so every process serves the
change on its very next request and never an entry rendered before it. Entries of old versions
are never read again and go by their TTL.

* Per store: keys go through the cache's KEY_FUNCTION (django_tenants.cache.make_key), which puts
  the connection's schema first, so the same product ids in two stores never share an entry.
* A token rather than a counter: if Redis evicts or loses the version key, the next token is new
  and entries left from before can never match it again. A new store gets a new token too
  (CatalogConfig.store_setup): one made again under a deleted store's slug (the same schema,
  so the same keys) never reads the old store's entries.
* Fail-safe: when Redis cannot be read the answer is rendered from PostgreSQL, as without a
  cache; a bump that cannot be written leaves entries that expire within ENTRY_SECONDS.
* A request that runs inside an open transaction renders from the database and stores nothing:
  it may see changes of its own whose bump waits for the commit, which no other request sees.
* `STOREFRONT_CACHE = False` (setting) renders every answer from PostgreSQL; ETags and 304s
  stay (the benchmark measures the uncached path with it).
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.http import parse_etags
from django_redis.exceptions import ConnectionInterrupted
from django_tenants.utils import schema_context
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Old versions' entries are never read again; this bounds the memory they hold, and how long a
# change whose bump was lost (Redis down at that moment) can stay unseen.
ENTRY_SECONDS = 6 * 3600
CACHE_ERRORS = (ConnectionInterrupted, RedisError, OSError)


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


VERSION_KEY = "storefront:version"


def _version_bump(schema_name: str) -> None:
    # Runs after the commit, when the connection may already be back in another schema: the
    # key is the store's where the change was made.
    with schema_context(schema_name):
        try:
            cache.set(VERSION_KEY, _new_token(), timeout=None)
        except CACHE_ERRORS:
            logger.warning("Redis is unavailable: the storefront cache of %s expires by its TTL",
                           schema_name)  # fmt: skip


def catalogue_changed() -> None:
    """A product or category of this store changed (or stock moved) in this transaction:
    buyers see it from the next request once it commits."""
    schema_name = connection.schema_name
    transaction.on_commit(lambda: _version_bump(schema_name))


def catalogue_version() -> str | None:
    """This store's current version, or None when Redis cannot be read."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # First use (or the key was lost): whoever adds first decides, the others read it.
            cache.add(VERSION_KEY, _new_token(), timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    except CACHE_ERRORS:
        logger.warning("Redis is unavailable: the storefront is rendered without its cache")
        return None


def etag_for(version: str | None, body: bytes) -> str:
    """Changes with the version and with the bytes (a new page template, another host)."""
    return f'"{version or "none"}-{hashlib.md5(body, usedforsecurity=False).hexdigest()[:20]}"'


def etag_matches(request, etag: str) -> bool:
    """Whether the request's If-None-Match names `etag` (weak comparison, as for a GET)."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = {tag.removeprefix("W/") for tag in parse_etags(header)}
    return "*" in tags or etag in tags


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    version: str | None


def _entry_key(version: str, name: str, variant: tuple) -> str:
    digest = hashlib.md5(repr(variant).encode(), usedforsecurity=False).hexdigest()
    return f"storefront:{version}:{name}:{digest}"


def rendered(*, name: str, variant: tuple, render: Callable[[], bytes]) -> Rendered:
    """The answer `name` in its `variant` (everything else its bytes depend on: the host's image
    URL, the currency, the page), from the cache when this version holds it, else `render()`ed
    and stored."""
    version = catalogue_version()
    usable = (
        version is not None
        and getattr(settings, "STOREFRONT_CACHE", True)
        and not connection.in_atomic_block
    )
    key = _entry_key(version, name, variant) if usable else ""
    if usable:
        try:
            entry = cache.get(key)
        except CACHE_ERRORS:
            entry, usable = None, False
        if entry is not None:
            return Rendered(body=entry[1], etag=entry[0], version=version)
    body = render()
    etag = etag_for(version, body)
    if usable:
        try:
            cache.set(key, (etag, body), timeout=ENTRY_SECONDS)
        except CACHE_ERRORS:
            logger.warning("Redis is unavailable: a storefront answer was not stored")
    return Rendered(body=body, etag=etag, version=version)
