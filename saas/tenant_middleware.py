"""The store of a request's host, remembered per process instead of queried on every request.

django-tenants' `TenantMainMiddleware` answers every request with one Domain + Store query.
Here each process keeps host -> Store for up to TENANT_HOST_CACHE_SECONDS, tagged with a
version number kept in Redis. Every saved or deleted Store or Domain bumps the version once its
transaction commits, so every process of every server sees the change on its next request:
the cost of a request is one Redis GET instead of a SQL round trip and a model built from it.

Fail-safe: when Redis cannot be read the version is unknown and the host is looked up in
PostgreSQL, as django-tenants does; unknown hosts are never remembered (a store created a
moment later answers at once). A change that bypasses the ORM's signals (a queryset
`update()`, raw SQL) calls `tenant_hosts_changed()`; the TTL bounds anything missed.
"""

import copy
import logging
import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_redis import get_redis_connection
from django_tenants.middleware.main import TenantMainMiddleware
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# One key for every process and schema (the raw client: no per-schema key prefix).
VERSION_KEY = "saas:tenant-hosts:version"

# After a failed Redis call, requests skip Redis this long (each try may wait for a timeout).
REDIS_RETRY_SECONDS = 5

_lock = threading.Lock()
_hosts: dict[str, tuple[bytes, float, object]] = {}  # host -> (version, expires_at, store)
_redis_down_until = 0.0


def _ttl() -> float:
    return getattr(settings, "TENANT_HOST_CACHE_SECONDS", 60)


def _version() -> bytes | None:
    """The current version (b"0" before any change), or None when Redis cannot be read (or
    the cache is not Redis: then nothing is remembered)."""
    global _redis_down_until
    if time.monotonic() < _redis_down_until:
        return None
    try:
        return get_redis_connection("default").get(VERSION_KEY) or b"0"
    except NotImplementedError:  # django-redis says so when the cache is not Redis
        return None
    except RedisError:
        logger.warning("Redis is unavailable: store hosts are looked up in PostgreSQL")
        _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
        return None


def _version_bump() -> None:
    try:
        get_redis_connection("default").incr(VERSION_KEY)
    except NotImplementedError:  # not a Redis cache: nothing is remembered, nothing to bump
        pass
    except RedisError:
        # Other processes keep their entries until the TTL; this one forgets at once.
        logger.warning("Redis is unavailable: store host caches expire by their TTL")
        tenant_hosts_forget()


def tenant_hosts_forget() -> None:
    """Empty this process's cache (and try Redis again on the next request)."""
    global _redis_down_until
    with _lock:
        _hosts.clear()
        _redis_down_until = 0.0


def tenant_hosts_changed() -> None:
    """A store or domain changed: this process looks hosts up again at once (it may read the
    change inside the transaction), every other process after the commit."""
    tenant_hosts_forget()
    transaction.on_commit(_version_bump)


def _on_change(sender, **kwargs) -> None:
    tenant_hosts_changed()


def tenant_hosts_signals_connect() -> None:
    """Bump the version on every Store and Domain save or delete (tenants.apps.ready)."""
    from tenants.models import Domain, Store

    for model in (Store, Domain):
        for signal in (post_save, post_delete):
            signal.connect(_on_change, sender=model, dispatch_uid=f"tenant-hosts-{model.__name__}")


class CachedTenantMiddleware(TenantMainMiddleware):
    """TenantMainMiddleware with the host -> store lookup remembered (see the module)."""

    def get_tenant(self, domain_model, hostname):
        version = _version()
        if version is not None:
            with _lock:
                cached = _hosts.get(hostname)
            if cached is not None and cached[0] == version and cached[1] > time.monotonic():
                # A copy: the request may change its store (domain_url, a profile edit).
                return copy.copy(cached[2])
        tenant = super().get_tenant(domain_model, hostname)  # DoesNotExist: not remembered
        if version is not None:
            with _lock:
                _hosts[hostname] = (version, time.monotonic() + _ttl(), copy.copy(tenant))
        return tenant
