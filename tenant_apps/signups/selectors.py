"""Reads of the customer acquisition tool; the store's timezone decides calendar months."""

import logging
import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from saas.access.timezone import current_store_timezone
from saas.validation import moment_parse

from .errors import SignupsError, SignupsErrorCode
from .models import RefusedOrigin, Signup, WidgetSite

logger = logging.getLogger(__name__)

SITE_KEY_PATTERN = re.compile(r"^pk_[A-Za-z0-9_-]{1,61}$")
WIDGET_SITE_CACHE_SECONDS = 60


def month_start(*, now: datetime, zone: zoneinfo.ZoneInfo, months_back: int = 0) -> datetime:
    """Local midnight of the 1st of this month (or `months_back` months earlier), aware."""
    local = timezone.localtime(now, zone)
    year, month = local.year, local.month - months_back
    while month < 1:
        month += 12
        year -= 1
    return datetime.combine(datetime(year, month, 1).date(), time.min, tzinfo=zone)


def next_month_start(*, now: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    start = month_start(now=now, zone=zone)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return datetime(year, month, 1, tzinfo=zone)


def store_month_label(*, now: datetime) -> str:
    return timezone.localtime(now, current_store_timezone()).strftime("%B %Y")


@dataclass(frozen=True)
class SignupStats:
    this_month: int
    last_month: int
    last_7_days: int
    total: int


def signup_stats(*, now: datetime | None = None) -> SignupStats:
    """Counts by calendar month in the store's timezone, a rolling week, and all time."""
    now = now or timezone.now()
    zone = current_store_timezone()
    this_start = month_start(now=now, zone=zone)
    last_start = month_start(now=now, zone=zone, months_back=1)
    week_start = now - timedelta(days=7)
    counts = Signup.objects.filter(created_at__lte=now).aggregate(
        this_month=Count("id", filter=Q(created_at__gte=this_start)),
        last_month=Count("id", filter=Q(created_at__gte=last_start, created_at__lt=this_start)),
        last_7_days=Count("id", filter=Q(created_at__gt=week_start)),
        total=Count("id"),
    )
    return SignupStats(**counts)


SINCE_SHAPE = "since must be an ISO date or date-time, like 2025-01-31 or 2025-01-31T08:00:00Z."


def store_moment_parse(*, raw: str) -> datetime:
    """An ISO date (local midnight in the store's timezone) or date-time (naive = store time)."""
    try:
        return moment_parse(raw, zone=current_store_timezone(), name="since")
    except ValidationError as error:
        if error.code != "invalid":  # a real date-time, outside the years or offsets we take
            raise SignupsError(error.messages[0], code=SignupsErrorCode.INVALID_SINCE) from None
        raise SignupsError(SINCE_SHAPE, code=SignupsErrorCode.INVALID_SINCE) from None


def signup_list(*, since: datetime | None = None) -> QuerySet[Signup]:
    """Newest first; `since` keeps signups created at or after that instant."""
    signups = Signup.objects.select_related("site").order_by("-created_at", "-id")
    if since is not None:
        signups = signups.filter(created_at__gte=since)
    return signups


def store_day_start(*, now: datetime | None = None) -> datetime:
    """Local midnight of today in the store's timezone, aware."""
    zone = current_store_timezone()
    local = timezone.localtime(now or timezone.now(), zone)
    return datetime.combine(local.date(), time.min, tzinfo=zone)


def signup_list_today(*, now: datetime | None = None) -> QuerySet[Signup]:
    """Today's signups (the store's calendar day), newest first."""
    return signup_list(since=store_day_start(now=now))


def signup_received_any() -> bool:
    return Signup.objects.exists()


def signups_by_emails(emails) -> QuerySet[Signup]:
    """The signups of these addresses (stored lower-cased), newest first; for tools that show
    one person across the store (the orders tool's Customers)."""
    return signup_list().filter(email__in=[email.lower() for email in emails if email])


def signup_latest(*, until: datetime, limit: int) -> list[Signup]:
    return list(signup_list().filter(created_at__lte=until)[:limit])


def widget_site_list() -> QuerySet[WidgetSite]:
    return WidgetSite.objects.order_by("created_at", "id")


def widget_site_get(*, site_id: int) -> WidgetSite:
    site = WidgetSite.objects.filter(pk=site_id).first()
    if site is None:
        raise SignupsError("No widget site with this id.", code=SignupsErrorCode.SITE_NOT_FOUND)
    return site


def widget_site_cache_key(key: str) -> str:
    # Django's cache prefixes it with the store's schema (KEY_FUNCTION).
    return f"widget-site:{key}"


def widget_site_find(*, key: str) -> WidgetSite | None:
    """The active site of a public key; None for an unknown or switched-off key.

    Read through the cache: the widget endpoint is the hot path and the site rarely changes.
    Services drop the entry whenever a site changes; the TTL bounds any other drift.
    """
    entry = widget_site_read(key=key)
    return entry.site if entry is not None else None


@dataclass(frozen=True)
class WidgetSiteEntry:
    """An active site as the widget endpoint sees it.

    `guard` is set when the site came from this worker's memo: (the shared cache's Redis key,
    the exact value the memo was read from). The throttles' Redis call counts the request only
    while the shared cache still holds that value (tenant_apps/signups/throttles.py), so a copy
    that a service has dropped (or the TTL has) is never acted on; None: read just now.
    """

    site: WidgetSite
    guard: tuple[str, bytes] | None = None


# This worker's copies of active sites read from Redis: (schema, key) → (fields, redis key,
# raw value). Trusted only through the throttles' guard; bounded, cleared when full.
_site_memo: dict[tuple[str, str], tuple[dict, str, bytes]] = {}
SITE_MEMO_MAX_ENTRIES = 1000


def widget_site_entry(*, key: str) -> WidgetSiteEntry | None:
    """widget_site_find for the widget's POST: this worker's copy when it has one (no Redis
    round trip; the throttles check it is current), else the shared cache or the database."""
    key = (key or "").strip()
    memo = _site_memo.get((connection.schema_name, key))
    if memo is not None:
        fields, redis_key, raw = memo
        site = WidgetSite(**{**fields, "allowed_origins": list(fields["allowed_origins"])})
        return WidgetSiteEntry(site, guard=(redis_key, raw))
    return widget_site_read(key=key)


def widget_site_memo_forget(*, key: str) -> None:
    _site_memo.pop((connection.schema_name, (key or "").strip()), None)


def widget_site_read(*, key: str) -> WidgetSiteEntry | None:
    """The active site of a key from the shared cache or the database (never the memo)."""
    key = (key or "").strip()
    if not SITE_KEY_PATTERN.match(key):
        return None  # never send arbitrary bytes (NUL, megabytes) to the database
    cache_key = widget_site_cache_key(key)
    try:
        cached = _shared_cache_get(cache_key)
    except Exception as error:  # Redis down: the database still answers
        logger.warning("Widget site cache unavailable (%s); reading the database.", error)
        cached, cache_key = None, None
    if cached is not None:
        fields, raw = cached
        if not fields.get("is_active"):
            return None
        _memo_keep(key, fields, raw)
        return WidgetSiteEntry(WidgetSite(**fields))
    site = WidgetSite.objects.filter(key=key).first()
    if site is None:
        return None
    if cache_key is not None:
        _shared_cache_set(cache_key, key, site)
    return WidgetSiteEntry(site) if site.is_active else None


def _raw_client():
    """django-redis' client (encode/decode and the raw Redis client), or None."""
    client = getattr(cache, "client", None)
    return client if hasattr(client, "get_client") and hasattr(client, "decode") else None


def _shared_cache_get(cache_key: str) -> tuple[dict, bytes | None] | None:
    """(fields, the raw stored value) of the shared cache's entry, or None when absent."""
    client = _raw_client()
    if client is None:
        cached = cache.get(cache_key)
        return None if cached is None else (cached, None)
    raw = client.get_client(write=False).get(cache.make_key(cache_key))
    return None if raw is None else (client.decode(raw), raw)


def _shared_cache_set(cache_key: str, key: str, site: WidgetSite) -> None:
    fields = {
        "id": site.id,
        "name": site.name,
        "key": site.key,
        "allowed_origins": list(site.allowed_origins),
        "is_active": site.is_active,
    }
    try:
        cache.set(cache_key, fields, timeout=WIDGET_SITE_CACHE_SECONDS)
    except Exception as error:
        logger.warning("Widget site cache unavailable (%s).", error)
        return
    client = _raw_client()
    if client is not None and site.is_active:
        _memo_keep(key, fields, client.encode(fields))


def _memo_keep(key: str, fields: dict, raw: bytes | None) -> None:
    if raw is None:
        return
    if len(_site_memo) >= SITE_MEMO_MAX_ENTRIES:
        _site_memo.clear()
    _site_memo[(connection.schema_name, key)] = (
        fields,
        cache.make_key(widget_site_cache_key(key)),
        raw,
    )


def widget_origins_allowed(*, key: str | None) -> set[str]:
    """The origins a CORS preflight may come from: the `key` site's, or without a key those
    of every active site (a preflight may carry no key: it cannot send the X-Site-Key header)."""
    if key:
        site = widget_site_find(key=key)
        return set(site.allowed_origins) if site else set()
    return widget_origins_all_active()


def widget_origins_all_active() -> set[str]:
    """Every origin any active site allows (answers a preflight that carries no key)."""
    origins: set[str] = set()
    for allowed in WidgetSite.objects.filter(is_active=True).values_list(
        "allowed_origins", flat=True
    ):
        origins.update(allowed)
    return origins


def widget_origins_refused(*, site: WidgetSite) -> QuerySet[RefusedOrigin]:
    """The latest origins the site's widget was refused on, minus any allowed since."""
    return RefusedOrigin.objects.filter(site=site).exclude(origin__in=site.allowed_origins)
