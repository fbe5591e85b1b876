"""The widget signup's hot path: one Redis call and one SQL statement once a worker knows the
site, and a worker's copy of a site is never acted on after the site changed elsewhere."""

import logging

import pytest
import redis.connection
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import ValidationError

from tenant_apps.signups.apis import WidgetSignupCreateApi
from tenant_apps.signups.models import Signup, WidgetSite
from tenant_apps.signups.selectors import widget_site_cache_key
from tests.support.signups import SHOP_ORIGIN, widget_client
from tests.support.stores import in_store

URL = "/api/widget/signups"
OTHER_ORIGIN = "https://other.alpha.example"


@pytest.fixture
def redis_commands(monkeypatch) -> list[str]:
    """The names of the Redis commands this process sends about widget sites and signup
    counters (redis-py's own send_command; the store-host lookup's are the middleware's)."""
    sent: list[str] = []
    send = redis.connection.AbstractConnection.send_command

    def counting(self, *args, **kwargs):
        if any(b"widget-site:" in _bytes(arg) or b":signup-" in _bytes(arg) for arg in args):
            sent.append(str(args[0]))
        return send(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_command", counting)
    return sent


def _bytes(arg) -> bytes:
    return arg if isinstance(arg, bytes) else str(arg).encode()


def signup(store, site, email, *, origin=SHOP_ORIGIN):
    client = widget_client(store, origin=origin)
    return client.post(URL, {"email": email}, format="json", HTTP_X_SITE_KEY=site.key)


def emails_in(store) -> list[str]:
    with in_store(store):
        return list(Signup.objects.order_by("id").values_list("email", flat=True))


def changed_elsewhere(store, site, **fields) -> None:
    """What another worker's `widget_site_update` leaves behind: the row changed and the
    shared cache entry dropped (this worker's copy is untouched)."""
    with in_store(store):
        WidgetSite.objects.filter(pk=site.pk).update(**fields)
        cache.delete(widget_site_cache_key(site.key))


def test_a_known_site_costs_one_redis_call_and_one_sql_statement(store_a, site_a, redis_commands):
    assert signup(store_a, site_a, "warm@example.com").status_code == 201
    redis_commands.clear()

    with CaptureQueriesContext(connection) as queries:
        response = signup(store_a, site_a, "hot@example.com")

    assert response.status_code == 201
    assert redis_commands == ["EVALSHA"]
    store_queries = [q["sql"] for q in queries.captured_queries if "signups_signup" in q["sql"]]
    [statement] = store_queries
    assert statement.startswith('SET search_path = "')
    assert "INSERT INTO" in statement
    # The search path the statement set serves the store's next query without another SET.
    with CaptureQueriesContext(connection) as later:
        assert Signup.objects.filter(email="hot@example.com").count() == 1
    assert [q["sql"][:6] for q in later.captured_queries] == ["SELECT"]
    assert emails_in(store_a) == ["warm@example.com", "hot@example.com"]


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"is_active": False}, 403, "invalid_site_key"),
        ({"allowed_origins": [OTHER_ORIGIN]}, 403, "origin_not_allowed"),
        ({"key": "pk_rotatedrotatedrotatedrotated"}, 403, "invalid_site_key"),
    ],
)
def test_a_change_made_by_another_worker_applies_to_the_next_signup(
    store_a, site_a, fields, status, code
):
    assert signup(store_a, site_a, "before@example.com").status_code == 201

    changed_elsewhere(store_a, site_a, **fields)
    response = signup(store_a, site_a, "after@example.com")

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert emails_in(store_a) == ["before@example.com"]


def test_an_origin_allowed_by_another_worker_is_accepted_at_once(store_a, site_a):
    assert signup(store_a, site_a, "a@example.com").status_code == 201

    changed_elsewhere(store_a, site_a, allowed_origins=[SHOP_ORIGIN, OTHER_ORIGIN])
    response = signup(store_a, site_a, "b@example.com", origin=OTHER_ORIGIN)

    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == OTHER_ORIGIN
    assert emails_in(store_a) == ["a@example.com", "b@example.com"]


def test_a_refusal_on_a_stale_copy_is_counted_and_recorded_once(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "2/min"
    assert signup(store_a, site_a, "a@example.com").status_code == 201

    changed_elsewhere(store_a, site_a, allowed_origins=[OTHER_ORIGIN])
    refused = signup(store_a, site_a, "b@example.com")
    allowed = signup(store_a, site_a, "c@example.com", origin=OTHER_ORIGIN)
    over = signup(store_a, site_a, "d@example.com", origin=OTHER_ORIGIN)

    # The refusal counted nothing: the second allowed signup of this IP is the one over.
    assert [refused.status_code, allowed.status_code, over.status_code] == [403, 201, 429]
    with in_store(store_a):
        refused_rows = list(site_a.refused_origins.values_list("origin", "times_seen"))
    assert refused_rows == [(SHOP_ORIGIN, 1)]


def test_with_redis_down_a_workers_copy_is_not_trusted(store_a, site_a, settings, caplog):
    assert signup(store_a, site_a, "a@example.com").status_code == 201
    with in_store(store_a):
        WidgetSite.objects.filter(pk=site_a.pk).update(is_active=False)
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }

    with caplog.at_level(logging.WARNING):
        switched_off = signup(store_a, site_a, "b@example.com")
        with in_store(store_a):
            WidgetSite.objects.filter(pk=site_a.pk).update(is_active=True)
        fail_open = signup(store_a, site_a, "c@example.com")

    assert (switched_off.status_code, switched_off.json()["code"]) == (403, "invalid_site_key")
    assert fail_open.status_code == 201
    assert emails_in(store_a) == ["a@example.com", "c@example.com"]
    throttle_warnings = [r for r in caplog.records if r.name == "tenant_apps.signups.throttles"]
    assert len(throttle_warnings) == 1  # the request that was let through


# Bodies the plain check serves itself, and bodies it leaves to the serializer (valid or not).
PLAIN_BODIES = [
    {"email": "a@example.com"},
    {"email": "  A@Example.com  ", "name": " Ada ", "consent": True, "page_url": " https://x.y/ "},
    {"email": "a@example.com", "consent": False, "site_key": "pk_abc", "website": ""},
    {"email": "a@example.com", "name": "", "page_url": "", "unknown": [1, 2]},
    {"email": "a@example.com", "name": "n" * 200, "page_url": "p" * 2000},
    {"email": "a@example.com", "name": "n" * 200 + "   "},
]
SERIALIZER_BODIES = [
    {},
    {"email": ""},
    {"email": "   "},
    {"email": None},
    {"email": ["a@example.com"]},
    {"email": 12},
    {"email": "a@example.com", "consent": "maybe"},
    {"email": "a@example.com", "consent": "true"},
    {"email": "a@example.com", "consent": None},
    {"email": "a@example.com", "name": "n" * 201},
    {"email": "a@example.com", "page_url": "p" * 2001},
    {"email": "a@example.com", "site_key": "k" * 101},
    {"email": "a@exa\x00mple.com"},
    {"email": "a@example.com", "name": None},
    {"email": "a@example.com", "name": 7},
    [{"email": "a@example.com"}],
]


def serializer_answer(body):
    serializer = WidgetSignupCreateApi.InputSerializer(data=body)
    return serializer.validated_data if serializer.is_valid() else serializer.errors


@pytest.mark.parametrize("body", PLAIN_BODIES + SERIALIZER_BODIES)
def test_the_input_check_answers_exactly_as_the_serializer(body):
    check = WidgetSignupCreateApi.InputSerializer
    try:
        answer = check.validated(body)
    except ValidationError as error:
        answer = error.detail

    assert answer == serializer_answer(body)
    assert (check._plain_valid(body) is not None) == (body in PLAIN_BODIES)
