"""Fixed-window request counters in Redis (through Django's cache, so keys carry the store).

Redis down means the counters are unknown: we let the request through (fail open) and log a
warning, because losing a visitor's signup costs the seller more than a burst of spam would.
"""

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

PERIOD_SECONDS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
                  "h": 3600, "hour": 3600, "d": 86400, "day": 86400}  # fmt: skip


@dataclass(frozen=True)
class Rate:
    limit: int
    period_seconds: int


def rate_parse(value: str) -> Rate:
    """ "20/min" → Rate(20, 60); "100/10s" is not supported, keep it simple and documented."""
    count, _, period = str(value).strip().partition("/")
    try:
        limit = int(count)
        seconds = PERIOD_SECONDS[period.strip().lower()]
    except (ValueError, KeyError) as error:
        raise ValueError(f"Invalid rate {value!r}; use e.g. '20/min'.") from error
    if limit < 1:
        raise ValueError(f"Invalid rate {value!r}; the limit must be at least 1.")
    return Rate(limit, seconds)


def throttle_hit(*, scope: str, ident: str, rate: Rate, now: float | None = None) -> int | None:
    """Count one request; None when allowed, else the seconds until the window ends."""
    now = time.time() if now is None else now
    window = int(now // rate.period_seconds)
    key = f"throttle:{scope}:{ident}:{window}"
    try:
        # add() sets the counter only if missing, so the expiry is set once per window.
        cache.add(key, 0, timeout=rate.period_seconds + 1)
        count = cache.incr(key)
    except ValueError:
        # The window's key expired between add() and incr(): this is its first request.
        return None
    except Exception as error:  # any cache failure must not fail the request
        logger.warning("Throttle counters unavailable (%s); letting the request through.", error)
        return None
    if count <= rate.limit:
        return None
    return max(1, int((window + 1) * rate.period_seconds - now + 0.999))
