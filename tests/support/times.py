"""Moments for tests of time windows and schedules."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def local(zone: str, *args) -> datetime:
    """An aware datetime from a wall time in `zone`: local("Asia/Kolkata", 2026, 3, 9, 8, 59)."""
    return datetime(*args, tzinfo=ZoneInfo(zone))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def timezone_inside_the_window() -> str:
    """A client timezone where it is now between 10:00 and 18:00, so a message goes at once."""
    now = datetime.now(UTC)
    for name in (
        "Asia/Kolkata",
        "Europe/London",
        "America/New_York",
        "Asia/Tokyo",
        "America/Los_Angeles",
        "Pacific/Auckland",
        "Asia/Dubai",
        "America/Sao_Paulo",
    ):
        if 10 <= now.astimezone(ZoneInfo(name)).hour < 18:
            return name
    raise AssertionError("no zone in the list is inside 10:00-18:00 now")  # 8 zones cover 24 h
