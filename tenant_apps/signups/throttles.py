"""The widget endpoint's limits as DRF throttles: fixed-window counters in Redis, per store.

Two limits guard a signup: per client IP and site, then per site. `WidgetSignupThrottle`
counts both in one Lua call: one round trip on the widget's hot path, and a request refused
by the first counter never uses up the next one (a single noisy visitor cannot spend the whole
site's budget). DRF's own `check_throttles` would ask every throttle, refused or not.

Keys go through Django's cache `make_key` (KEY_FUNCTION = django_tenants.cache.make_key), so
each store has its own counters even where two stores' sites share an id.

The same call can carry a guard (a Redis key and the value it should hold): the widget's site
comes from the worker's memo without a round trip of its own, and the counters count only while
the shared cache still holds that copy of the site (selectors.widget_site_entry).

Redis down means the counters are unknown: we let the request through (fail open) and log a
warning, because losing a visitor's signup costs the seller more than a burst of spam would.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

logger = logging.getLogger(__name__)

PERIOD_SECONDS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
                  "h": 3600, "hour": 3600, "d": 86400, "day": 86400}  # fmt: skip

# KEYS: the guard's key, then one counter per throttle. ARGV: the guard's value ('' for no
# guard), then limit and ttl for each counter, in the same order. Returns -1 (nothing counted)
# when the guard's key no longer holds its value, 0 when every counter is within its limit,
# else the 1-based index of the first one over.
_COUNTERS_LUA = """
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
for index = 2, #KEYS do
  local count = redis.call('INCR', KEYS[index])
  if count == 1 then redis.call('EXPIRE', KEYS[index], ARGV[index * 2 - 1]) end
  if count > tonumber(ARGV[index * 2 - 2]) then return index - 1 end
end
return 0
"""
GUARD_CHANGED = -1


class GuardChanged(Exception):
    """The guard's value is gone or changed (or could not be read): nothing was counted."""


@dataclass(frozen=True)
class Rate:
    limit: int
    period_seconds: int


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


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address our own proxies put in X-Forwarded-For.

    DRF's `get_ident` counts REST_FRAMEWORK["NUM_PROXIES"] (set from SIGNUP_TRUSTED_PROXY_COUNT)
    from the right, so a client cannot choose its own throttle bucket by sending the header.
    """
    return BaseThrottle().get_ident(request)


class FixedWindowThrottle(SimpleRateThrottle):
    """SimpleRateThrottle's rate and cache-key hooks, counted in fixed windows.

    SimpleRateThrottle keeps a list of timestamps per key, read and rewritten by every request
    (racy between workers, and as long as the limit); one INCR per window is atomic and O(1).
    The rate is read from `rate_setting` on every request, so no THROTTLE_RATES entry.
    """

    rate_setting = ""
    default_rate = ""
    cache_format = "throttle:%(scope)s:%(ident)s"

    def get_rate(self) -> str:
        return getattr(settings, self.rate_setting, self.default_rate)

    def parse_rate(self, rate) -> tuple[int, int]:
        parsed = rate_parse(rate)
        return parsed.limit, parsed.period_seconds

    def window_key(self, request, view, now: float) -> str | None:
        key = self.get_cache_key(request, view)
        return None if key is None else f"{key}:{int(now // self.duration)}"

    def retry_after(self, now: float) -> int:
        window_end = (int(now // self.duration) + 1) * self.duration
        return max(1, int(window_end - now + 0.999))

    def allow_request(self, request, view) -> bool:
        self.now = self.timer()
        return windows_hit((self,), request, view, now=self.now) is None

    def wait(self) -> int:
        return self.retry_after(self.now)


class ThrottleChain(BaseThrottle):
    """Fixed-window throttles counted in order in one round trip; the first refusal wins."""

    throttle_classes: tuple[type[FixedWindowThrottle], ...] = ()

    def allow_request(self, request, view) -> bool:
        self.now = time.time()
        throttles = tuple(throttle_class() for throttle_class in self.throttle_classes)
        guard = self.guard(request)
        self.refused_by = windows_hit(throttles, request, view, now=self.now, guard=guard)
        return self.refused_by is None

    def guard(self, request) -> tuple[str, bytes] | None:
        """(Redis key, value): count only while the key holds the value (GuardChanged else)."""
        return None

    def wait(self) -> int | None:
        return self.refused_by.retry_after(self.now) if self.refused_by else None


def windows_hit(
    throttles, request, view, *, now: float, guard: tuple[str, bytes] | None = None
) -> FixedWindowThrottle | None:
    """Count one request in each throttle's current window, stopping at the first one over
    its limit, and return that one; None when allowed (or when the counters are unavailable).
    A throttle whose `get_cache_key` gives None does not apply to this request.

    With a `guard` (Redis key, value), the same round trip first checks that the key still
    holds the value; GuardChanged (nothing counted) when it does not or cannot be read."""
    counted = []
    for throttle in throttles:
        key = throttle.window_key(request, view, now)
        if key is not None:
            counted.append((throttle, key))
    if not counted:
        return None
    try:
        refused = _counters_incr(counted, guard=guard)
    except Exception as error:  # any cache failure must not fail the request
        if guard is not None:
            raise GuardChanged from error  # the caller checks again without the guard
        logger.warning("Throttle counters unavailable (%s); letting the request through.", error)
        return None
    if refused == GUARD_CHANGED:
        raise GuardChanged
    return counted[refused - 1][0] if refused else None


def _redis_client():
    """The raw client behind django-redis, or None for another cache backend."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    return get_client(write=True) if get_client else None


# Registered once; each call passes its own client (EVALSHA, loading the script if missing).
_scripts: dict = {}


def _counters_incr(
    counted: list[tuple[FixedWindowThrottle, str]], *, guard: tuple[str, bytes] | None = None
) -> int:
    """0 when every counter is within its limit, else the 1-based index of the first over;
    GUARD_CHANGED when the guard's key no longer holds its value (nothing counted)."""
    client = _redis_client()
    if client is None:
        if guard is not None:
            raise GuardChanged  # only a Redis guard can be checked with the counters
        return _counters_incr_generic(counted)
    script = _scripts.get("counters") or _scripts.setdefault(
        "counters", client.register_script(_COUNTERS_LUA)
    )
    guard_key, guard_value = guard if guard is not None else ("", "")
    args = [guard_value]
    for throttle, _ in counted:
        args += [throttle.num_requests, throttle.duration + 1]
    keys = [guard_key or "-"] + [cache.make_key(key) for _, key in counted]
    return int(script(keys=keys, args=args, client=client))


def _counters_incr_generic(counted: list[tuple[FixedWindowThrottle, str]]) -> int:
    """The same counting through the plain cache API (locmem and other backends)."""
    for index, (throttle, key) in enumerate(counted, start=1):
        cache.add(key, 0, timeout=throttle.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr(): the window's first request
            count = 1
        if count > throttle.num_requests:
            return index
    return 0


# --- the widget endpoint's limits -----------------------------------------------------------


class SignupPerIpThrottle(FixedWindowThrottle):
    """One visitor (client IP) on one widget site."""

    scope = "signup-ip"
    rate_setting = "SIGNUP_THROTTLE_PER_IP"
    default_rate = "20/min"

    def get_cache_key(self, request, view) -> str | None:
        site = getattr(request, "widget_site", None)  # set by WidgetCallerAllowed on a POST
        if site is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"{site.pk}:{client_ip(request)}"}


class SignupPerSiteThrottle(FixedWindowThrottle):
    """Every visitor of one widget site together."""

    scope = "signup-site"
    rate_setting = "SIGNUP_THROTTLE_PER_SITE"
    default_rate = "600/min"

    def get_cache_key(self, request, view) -> str | None:
        site = getattr(request, "widget_site", None)
        if site is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": str(site.pk)}


class WidgetSignupThrottle(ThrottleChain):
    throttle_classes = (SignupPerIpThrottle, SignupPerSiteThrottle)

    def guard(self, request) -> tuple[str, bytes] | None:
        # Set by WidgetCallerAllowed when the site came from this worker's memo: the counters
        # run only if the shared cache still holds that copy (else the view looks again).
        return getattr(request, "widget_site_guard", None)
