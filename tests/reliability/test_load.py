"""200 concurrent widget signups over 10 stores through a real gunicorn: every 2xx is stored
exactly once, nothing is lost, nothing lands in the wrong store."""

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tenant_apps.signups.models import Signup, WidgetSite
from tests.support.live import real_gunicorn
from tests.support.stores import in_store, store_host

pytestmark = pytest.mark.slow  # a real gunicorn

STORES = 10
SIGNUPS = 200


def post_signup(port: int, host: str, origin: str, key: str, email: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            f"/api/widget/signups?key={key}",
            body=json.dumps({"email": email, "consent": True}),
            headers={"Host": host, "Origin": origin, "Content-Type": "application/json"},
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_concurrent_signups_over_ten_stores_are_each_stored_once(make_store):
    stores = [make_store(f"Load {n}") for n in range(STORES)]
    targets = []
    for store in stores:
        with in_store(store):
            key = WidgetSite.objects.get().key
        link = urlsplit(store.link)
        targets.append((store_host(store), f"{link.scheme}://{link.netloc}", key))
    requests = [(*targets[n % STORES], f"buyer{n}@example.com") for n in range(SIGNUPS)]

    # Throttles are raised: this test is about losing nothing under concurrency.
    with (
        real_gunicorn(
            SIGNUP_THROTTLE_PER_IP="100000/min", SIGNUP_THROTTLE_PER_SITE="100000/min"
        ) as port,
        ThreadPoolExecutor(max_workers=SIGNUPS) as pool,
    ):
        statuses = list(pool.map(lambda r: post_signup(port, *r), requests))

    assert statuses.count(201) == SIGNUPS, sorted(set(statuses))
    for index, store in enumerate(stores):
        expected = {f"buyer{n}@example.com" for n in range(index, SIGNUPS, STORES)}
        with in_store(store):
            stored = list(Signup.objects.values_list("email", flat=True))
        assert len(stored) == len(expected) == SIGNUPS // STORES
        assert set(stored) == expected
