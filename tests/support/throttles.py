"""Rate limits in tests: every test starts with empty counters, at the default rates.

The counters live in this checkout's Redis database (TEST_REDIS_URL), which outlives a test
and a run: without the reset, the sixth test that signs one mobile in within an hour would be
refused. Tests that need many requests on purpose raise one limit with `rates_raised`.
"""

import contextlib

import pytest
from django.core.cache import cache

from saas.api import throttles

# Both key forms: "<schema>:<prefix>:<version>:throttle:…" and "all-schemas:…:throttle:…".
COUNTER_PATTERN = "*:throttle:*"
PLENTY = "1000000/hour"


def throttle_counters_clear() -> None:
    client = throttles._redis_client()
    if client is None:
        cache.clear()
        return
    keys = list(client.scan_iter(match=COUNTER_PATTERN, count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _throttle_counters_empty():
    # A test that stops Redis on purpose must not fail here.
    with contextlib.suppress(Exception):
        throttle_counters_clear()
    yield


def rates_raised(settings, *scopes: str) -> None:
    """`rates_raised(settings, "cart_create_ip")`: that limit (every one without scopes) out of
    the way for a test that makes many requests for another reason."""
    for throttle_class in throttles.THROTTLE_CLASSES:
        if not scopes or throttle_class.scope in scopes:
            setattr(settings, throttles.rate_setting_name(throttle_class.scope), PLENTY)


def at_time(monkeypatch, moment: float) -> None:
    """The throttles' clock (seconds since the epoch), e.g. an hour later than now."""
    monkeypatch.setattr(throttles.RateThrottle, "timer", staticmethod(lambda: moment))


def assert_throttled(response, *, at_most: int) -> int:
    """The one 429 answer: Retry-After, and the wait in details under both names."""
    assert response.status_code == 429, (response.status_code, response.content)
    wait = int(response["Retry-After"])
    assert 1 <= wait <= at_most
    body = response.json()
    assert body == {
        "error": body["error"],
        "code": "throttled",
        "details": {"retry_after": wait, "retry_after_seconds": wait},
    }
    assert isinstance(body["error"], str) and body["error"]
    return wait
