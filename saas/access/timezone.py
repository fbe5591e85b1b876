"""The current store's timezone: one helper for "today" and "this month", in reads and writes."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection


def zone_or_utc(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def current_store_timezone() -> ZoneInfo:
    """The timezone of the store whose schema is active (UTC on the platform or unknown)."""
    return zone_or_utc(getattr(getattr(connection, "tenant", None), "timezone", None))
