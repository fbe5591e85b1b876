"""The platform's rate limits as DRF throttles: sliding windows counted in Redis.

Every limit has a name (its `scope`) and a rate setting `THROTTLE_RATE_<NAME>` such as
"10/hour" (saas/settings/base.py, overridable from the environment; docs/platform.md lists
them). Where the counter lives:

* per store (`per_store = True`): the key goes through the cache's KEY_FUNCTION
  (django_tenants.cache.make_key), which puts the schema first, so each store counts alone;
* across the platform (the rest): a key that is the same in every schema, because the limit
  sums over the platform and every store's buyer sign-in (codes to one mobile, wrong codes
  from one IP, ...). make_key would give each schema its own counter there.

A window is a Redis sorted set of the events of the last period, trimmed, counted and added
to in one Lua call: atomic between workers, and exact at any moment ("the 121st cart within
an hour"), not per clock hour. Two kinds of throttle:

* `RateThrottle` counts every request DRF asks it about (`throttle_classes`);
* `EventThrottle` refuses once its window is full, but counts only what the flow reports:
  `record()` a wrong code, or `take()` a code about to be sent (`give_back()` when it was not).

When Redis does not answer, the counters are unknown: the request goes through and a warning
is logged. The limits kept in PostgreSQL still hold then (the resend wait, 5 tries per code).
"""

import ipaddress
import logging
import math
import secrets
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django_tenants.utils import get_public_schema_name, schema_context
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from saas.api.errors import ThrottledError
from saas.validation import phone_to_e164

logger = logging.getLogger(__name__)

PERIOD_SECONDS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
                  "h": 3600, "hour": 3600, "d": 86400, "day": 86400}  # fmt: skip
# The first part of a platform-wide key, where make_key puts a schema name (never this one).
ALL_SCHEMAS = "all-schemas"
THROTTLED = "throttled"

# KEYS[1]: the window. ARGV: now (ms), period (ms), limit, mode, member.
# mode "peek" only looks; "take" adds the event if the window has room; "record" always adds it
# (keeping the newest `limit`). Returns {1, 0} when allowed, else {0, ms until there is room}.
_WINDOW_LUA = """
local now, period, limit, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
local count = redis.call('ZCARD', KEYS[1])
if mode == 'record' or (mode == 'take' and count < limit) then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], period)
  if mode == 'take' then return {1, 0} end
  count = count + 1
  if count > limit then
    redis.call('ZREMRANGEBYRANK', KEYS[1], 0, count - limit - 1)
    count = limit
  end
end
if count < limit then return {1, 0} end
local blocking = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {0, math.max(1, tonumber(blocking[2]) + period - now)}
"""


def rate_parse(value: str) -> tuple[int, int]:
    """ "10/hour" → (10, 3600); the period is one of sec, min, hour, day."""
    count, _, period = str(value).strip().partition("/")
    try:
        limit, seconds = int(count), PERIOD_SECONDS[period.strip().lower()]
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(f"Invalid rate {value!r}; use e.g. '10/hour'.") from error
    if limit < 1:
        raise ImproperlyConfigured(f"Invalid rate {value!r}; the limit must be at least 1.")
    return limit, seconds


def rate_setting_name(scope: str) -> str:
    return f"THROTTLE_RATE_{scope.upper()}"


def client_ip(request) -> str:
    """The socket address, or the one our own proxies put in X-Forwarded-For.

    DRF's `get_ident` counts REST_FRAMEWORK["NUM_PROXIES"] (TRUSTED_PROXY_COUNT) from the
    right, so a client cannot pick its bucket by sending the header. An IPv6 client is its
    /64: one subscriber holds a whole /64 and could otherwise take a new address per request.
    """
    ident = (BaseThrottle().get_ident(request) or "").strip()
    if not ident:  # no socket address (a Unix socket): one shared bucket, never no limit
        return "unknown"
    try:
        address = ipaddress.ip_address(ident)
    except ValueError:
        return ident[:64]
    if address.version == 6 and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(getattr(address, "ipv4_mapped", None) or address)


def request_mobile(request) -> str | None:
    """The body's "mobile" in E.164, read before validation; None when there is none."""
    data = request.data if hasattr(request, "data") else request.POST
    value = data.get("mobile") if hasattr(data, "get") else None
    if not isinstance(value, str) or len(value) > 32:
        return None
    return phone_to_e164(value)


@dataclass(frozen=True)
class Taken:
    """One event added by `EventThrottle.take`, to give back if it did not happen."""

    throttle: "EventThrottle"
    key: str
    member: str


class RateThrottle(SimpleRateThrottle):
    """A limit named `scope`, its rate from THROTTLE_RATE_<SCOPE>, counting each request."""

    per_store = False
    methods = frozenset({"POST"})
    cache_format = "throttle:%(scope)s:%(ident)s"

    def get_rate(self) -> str:
        name = rate_setting_name(self.scope)
        if not hasattr(settings, name):
            raise ImproperlyConfigured(f"Set {name} (a rate such as '10/hour').")
        return getattr(settings, name)

    def parse_rate(self, rate) -> tuple[int, int]:
        return rate_parse(rate)

    def ident(self, request) -> str | None:
        """Who is counted; None: this request is not counted by this limit."""
        return client_ip(request)

    def get_cache_key(self, request, view) -> str | None:
        if request.method not in self.methods:
            return None
        ident = self.ident(request)
        return None if not ident else self.key_for(ident)

    def key_for(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        return self._ask(self.get_cache_key(request, view), mode="take")

    def wait(self) -> int | None:
        return getattr(self, "wait_seconds", None)

    def _ask(self, key: str | None, *, mode: str, member: str = "") -> bool:
        if key is None:
            return True
        self.now = self.timer()
        try:
            allowed, wait_ms = self._window(key, mode=mode, member=member)
        except Exception as error:  # a cache outage must not fail the request
            logger.warning("Throttle counters unavailable (%s); letting the request in.", error)
            return True
        self.wait_seconds = None if allowed else max(1, math.ceil(wait_ms / 1000))
        return allowed

    def _window(self, key: str, *, mode: str, member: str) -> tuple[bool, int]:
        now_ms, period_ms = int(self.now * 1000), self.duration * 1000
        member = member or f"{now_ms}:{secrets.token_hex(4)}"
        client = _redis_client()
        if client is None:
            return self._window_generic(key, mode=mode, member=member)
        script = _scripts.get("window") or _scripts.setdefault(
            "window", client.register_script(_WINDOW_LUA)
        )
        args = [now_ms, period_ms, self.num_requests, mode, member]
        allowed, wait_ms = script(keys=[self.redis_key(key)], args=args, client=client)
        return bool(allowed), int(wait_ms)

    def redis_key(self, key: str) -> str:
        if self.per_store:
            return cache.make_key(key)
        return f"{ALL_SCHEMAS}:{cache.key_prefix}:{cache.version}:{key}"

    def _window_generic(self, key: str, *, mode: str, member: str) -> tuple[bool, int]:
        """The same window through the plain cache API (a cache other than django-redis)."""
        now_ms, period_ms = int(self.now * 1000), self.duration * 1000
        # make_key puts the current schema first: platform-wide counters use the public one.
        scope = nullcontext() if self.per_store else schema_context(get_public_schema_name())
        with scope:
            events = sorted(e for e in cache.get(key, []) if e[0] > now_ms - period_ms)
            if mode == "record" or (mode == "take" and len(events) < self.num_requests):
                events = [*events, (now_ms, member)][-self.num_requests :]
                cache.set(key, events, timeout=self.duration)
                if mode == "take":
                    return True, 0
            if len(events) < self.num_requests:
                return True, 0
            blocking = events[len(events) - self.num_requests][0]
            return False, max(1, blocking + period_ms - now_ms)


class EventThrottle(RateThrottle):
    """Refuses a request once the window is full; counts only the events the flow reports."""

    message = "Too many requests; try again later."

    def allow_request(self, request, view) -> bool:
        return self._ask(self.get_cache_key(request, view), mode="peek")

    def record(self, ident: str | None) -> None:
        """Count one event (a wrong code) for `ident`."""
        if ident:
            self._ask(self.key_for(ident), mode="record")

    def take(self, ident: str | None) -> Taken | None:
        """Count one event if the window has room; ThrottledError when it has none."""
        if not ident:
            return None
        key, member = self.key_for(ident), f"{int(self.timer() * 1000)}:{secrets.token_hex(8)}"
        if not self._ask(key, mode="take", member=member):
            raise ThrottledError(self.message, code=THROTTLED, retry_after_seconds=self.wait())
        return Taken(throttle=self, key=key, member=member)

    def give_back(self, taken: Taken) -> None:
        try:
            client = _redis_client()
            if client is not None:
                client.zrem(self.redis_key(taken.key), taken.member)
                return
            scope = nullcontext() if self.per_store else schema_context(get_public_schema_name())
            with scope:
                events = [e for e in cache.get(taken.key, []) if e[1] != taken.member]
                cache.set(taken.key, events, timeout=self.duration)
        except Exception as error:
            logger.warning("Throttle counters unavailable (%s); nothing given back.", error)


def throttles_check(request, throttle_classes, view=None) -> None:
    """DRF's `check_throttles` for a plain Django view: ThrottledError when any refuses."""
    waits = []
    for throttle_class in throttle_classes:
        throttle = throttle_class()
        if not throttle.allow_request(request, view):
            waits.append(throttle.wait() or 1)
    if waits:
        raise ThrottledError(
            "Too many requests; try again later.", code=THROTTLED, retry_after_seconds=max(waits)
        )


def _redis_client():
    """The raw client behind django-redis, or None for another cache backend."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    return get_client(write=True) if get_client else None


# Registered once; each call passes its own client (EVALSHA, loading the script if missing).
_scripts: dict = {}


# --- the limits ------------------------------------------------------------------------------


class UsersCreateThrottle(RateThrottle):
    """POST /api/users/create per client IP: sign-up must not answer "is this e-mail taken?"
    without limit."""

    scope = "users_create"


class OtpRequestIpThrottle(RateThrottle):
    """Code requests per client IP, sellers and every store's buyers together."""

    scope = "otp_request_ip"


class OtpSentMobileThrottle(EventThrottle):
    """Codes sent to one mobile, summed over the platform and every store's buyer sign-in."""

    message = "Too many codes were sent to this number; try again later."

    def ident(self, request) -> str | None:
        return request_mobile(request)


class OtpRequestMobileHourThrottle(OtpSentMobileThrottle):
    scope = "otp_request_mobile_hour"


class OtpRequestMobileDayThrottle(OtpSentMobileThrottle):
    scope = "otp_request_mobile_day"


class OtpVerifyIpThrottle(EventThrottle):
    """Wrong codes per client IP, every audience; once full, even a right code waits."""

    scope = "otp_verify_ip"
    message = "Too many wrong codes; try again later."


class OtpVerifyMobileThrottle(EventThrottle):
    """Wrong codes per mobile, every audience."""

    scope = "otp_verify_mobile"
    message = "Too many wrong codes for this number; try again later."

    def ident(self, request) -> str | None:
        return request_mobile(request)


class StoresCreateSellerThrottle(RateThrottle):
    """POST /api/stores per seller (each store is a schema and its periodic jobs)."""

    scope = "stores_create_seller"

    def ident(self, request) -> str | None:
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None


class StoresCreateIpThrottle(RateThrottle):
    scope = "stores_create_ip"


class CartCreateIpThrottle(RateThrottle):
    """POST /api/cart per client IP, each store on its own."""

    scope = "cart_create_ip"
    per_store = True


THROTTLE_CLASSES = (
    UsersCreateThrottle,
    OtpRequestMobileHourThrottle,
    OtpRequestMobileDayThrottle,
    OtpRequestIpThrottle,
    OtpVerifyIpThrottle,
    OtpVerifyMobileThrottle,
    StoresCreateSellerThrottle,
    StoresCreateIpThrottle,
    CartCreateIpThrottle,
)
