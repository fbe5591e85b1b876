"""Fixed-window request counters in Redis, keyed through Django's cache (so per store).

Several counters (per IP + site, then per site) are checked in one Lua call: one round trip
on the widget's hot path, and a request refused by the first counter never uses up the next
one (a single noisy visitor cannot spend the whole site's budget).

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

# KEYS: one counter per check; ARGV: limit and ttl for each, in the same order.
# Returns 0 when every counter is within its limit, else the 1-based index of the first one over.
_COUNTERS_LUA = """
for index, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[index * 2]) end
  if count > tonumber(ARGV[index * 2 - 1]) then return index end
end
return 0
"""


@dataclass(frozen=True)
class Rate:
    limit: int
    period_seconds: int


@dataclass(frozen=True)
class Check:
    scope: str
    ident: str
    rate: Rate


def rate_parse(value: str) -> Rate:
    """ "20/min" → Rate(20, 60); the period is one of sec, min, hour, day."""
    count, _, period = str(value).strip().partition("/")
    try:
        limit = int(count)
        seconds = PERIOD_SECONDS[period.strip().lower()]
    except (ValueError, KeyError) as error:
        raise ValueError(f"Invalid rate {value!r}; use e.g. '20/min'.") from error
    if limit < 1:
        raise ValueError(f"Invalid rate {value!r}; the limit must be at least 1.")
    return Rate(limit, seconds)


def _window(check: Check, now: float) -> int:
    return int(now // check.rate.period_seconds)


def _retry_after(check: Check, now: float) -> int:
    window_end = (_window(check, now) + 1) * check.rate.period_seconds
    return max(1, int(window_end - now + 0.999))


def _redis_client():
    """The raw client behind django-redis, or None for another cache backend."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    return get_client(write=True) if get_client else None


# Registered once; each call passes its own client (EVALSHA, loading the script if missing).
_scripts: dict = {}


def throttle_hit(*checks: Check, now: float | None = None) -> int | None:
    """Count one request against each check in order; None when allowed, else the seconds
    until the refusing counter's window ends."""
    now = time.time() if now is None else now
    keys = [cache.make_key(f"throttle:{c.scope}:{c.ident}:{_window(c, now)}") for c in checks]
    try:
        client = _redis_client()
        if client is not None:
            script = _scripts.get("counters") or _scripts.setdefault(
                "counters", client.register_script(_COUNTERS_LUA)
            )
            args = []
            for check in checks:
                args += [check.rate.limit, check.rate.period_seconds + 1]
            refused = int(script(keys=keys, args=args, client=client))
        else:
            refused = _throttle_hit_generic(checks, now)
    except Exception as error:  # any cache failure must not fail the request
        logger.warning("Throttle counters unavailable (%s); letting the request through.", error)
        return None
    return _retry_after(checks[refused - 1], now) if refused else None


def _throttle_hit_generic(checks: tuple[Check, ...], now: float) -> int:
    """The same counting through the plain cache API (locmem and other backends)."""
    for index, check in enumerate(checks, start=1):
        key = f"throttle:{check.scope}:{check.ident}:{_window(check, now)}"
        cache.add(key, 0, timeout=check.rate.period_seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr(): the window's first request
            count = 1
        if count > check.rate.limit:
            return index
    return 0
