"""The client's sending window: 09:00 (inclusive) to 20:00 (exclusive), local wall time.

Pure functions on aware datetimes; the zone rules come from zoneinfo, so a day with a DST
change or a zone with a half-hour offset needs no special case here.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

WINDOW_START = time(9, 0)
WINDOW_END = time(20, 0)


def window_contains(*, moment: datetime, timezone: str) -> bool:
    local = moment.astimezone(ZoneInfo(timezone))
    return WINDOW_START <= local.time().replace(tzinfo=None) < WINDOW_END


def window_next_start(*, moment: datetime, timezone: str) -> datetime:
    """The first 09:00 local strictly after `moment`'s window (or today's, before 09:00), in UTC."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    day = local.date()
    if local.time().replace(tzinfo=None) >= WINDOW_START:
        day += timedelta(days=1)
    start = datetime.combine(day, WINDOW_START, tzinfo=zone)
    # Through UTC and back: a 09:00 that a transition skips becomes the first instant after it.
    return start.astimezone(UTC)


def window_send_at(*, moment: datetime, timezone: str) -> datetime:
    """`moment` when it is inside the window, else the start of the next window."""
    if window_contains(moment=moment, timezone=timezone):
        return moment
    return window_next_start(moment=moment, timezone=timezone)
