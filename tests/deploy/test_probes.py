"""The readiness probe: the database decides, Redis does not (the app degrades without it)."""

from django.test import override_settings

from tests.support.stores import PLATFORM_HOST, api_client

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_readiness_probe_reports_only_the_database(db):
    response = api_client(PLATFORM_HOST).get("/healthz?probe=ready")

    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_readiness_probe_stays_ready_while_redis_is_down(db):
    with override_settings(REDIS_URL=UNREACHABLE_REDIS):
        ready = api_client(PLATFORM_HOST).get("/healthz?probe=ready")
        full = api_client(PLATFORM_HOST).get("/healthz")

    assert ready.status_code == 200
    assert ready.json() == {"database": "ok"}
    # The full check still says Redis is down, for monitoring.
    assert full.status_code == 503
    assert full.json()["redis"] == "error: ConnectionError"


def test_an_unknown_probe_value_runs_the_full_check(db):
    response = api_client("alpha.localhost").get("/healthz?probe=anything")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}
