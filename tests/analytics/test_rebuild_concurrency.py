"""A rebuild running while batches arrive: nothing is lost or counted twice, and the two never
deadlock (both take the rollup-timezone lock first)."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connections

from tenant_apps.analytics.models import RollupTimezone
from tenant_apps.analytics.services import analytics_events_ingest
from tests.analytics.test_rollup_levels import spread_events, stored_rows
from tests.support.stores import in_store

BATCHES = 8


@pytest.mark.django_db(transaction=True)
def test_batches_arriving_during_a_rebuild_all_count_once(make_store):
    store = make_store("Rebuild race", timezone="Asia/Kathmandu")
    events = spread_events(120, seed=17)
    first_half, second_half = events[: len(events) // 2], events[len(events) // 2 :]
    with in_store(store):
        analytics_events_ingest(events=first_half)

    size = -(-len(second_half) // BATCHES)
    batches = [second_half[i : i + size] for i in range(0, len(second_half), size)]
    start = threading.Barrier(len(batches) + 1)
    errors: list = []

    def ingest(batch):
        try:
            start.wait()
            with in_store(store):
                analytics_events_ingest(events=batch)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    def rebuild():
        try:
            start.wait()
            call_command("analytics_rebuild", store=store.slug, stdout=io.StringIO())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ingest, args=(batch,)) for batch in batches]
    threads.append(threading.Thread(target=rebuild))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with in_store(store):
        concurrent = {period: stored_rows(period) for period in (1, 2, 3)}
        assert RollupTimezone.objects.get().name == "Asia/Kathmandu"
    call_command("analytics_rebuild", store=store.slug, stdout=io.StringIO())
    with in_store(store):
        assert {period: stored_rows(period) for period in (1, 2, 3)} == concurrent
        assert len(concurrent[1]) > 300
