"""saas.postgresql_backend: the per-request health check of a persistent connection polls its
socket; only a connection the server has spoken to while idle pays the `SELECT 1`."""

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def persistent(monkeypatch):
    """A second connection as a gunicorn worker holds it: persistent, health checks on; with
    the times Django runs its `SELECT 1` check counted (Django's own `is_usable`, still run)."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "CONN_MAX_AGE": 60}
    wrapper.settings_dict["CONN_HEALTH_CHECKS"] = True
    checks = {"select_1": 0}
    real_is_usable = wrapper.is_usable

    def counted_is_usable():
        checks["select_1"] += 1
        return real_is_usable()

    monkeypatch.setattr(wrapper, "is_usable", counted_is_usable)
    wrapper.checks = checks
    yield wrapper
    wrapper.close()


def request_with(wrapper) -> int:
    """One request's database work: Django's request-start hook, then a query; its backend pid."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_healthy_idle_connection_is_kept_without_a_round_trip(persistent):
    first = request_with(persistent)
    second = request_with(persistent)
    third = request_with(persistent)

    assert first == second == third
    assert persistent.checks["select_1"] == 0


def test_a_connection_the_server_ended_while_idle_is_replaced_before_the_query(persistent):
    ended = request_with(persistent)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [ended])
        assert cursor.fetchone() == (True,)
        # The termination notice reaches the idle socket before the next request.
        cursor.execute("SELECT pg_sleep(0.2)")

    replacement = request_with(persistent)

    assert replacement != ended
    assert persistent.checks["select_1"] == 1
