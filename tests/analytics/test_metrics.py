"""Each metric on hand-computed fixtures, read back through the selectors."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from tenant_apps.analytics.selectors import Period, analytics_summary
from tenant_apps.analytics.services import analytics_events_ingest
from tests.support.analytics import event
from tests.support.stores import in_store

UTC = ZoneInfo("UTC")
NOV_2 = Period(date(2026, 11, 2), date(2026, 11, 2), UTC)


def conversation_story() -> list[dict]:
    """c-1: created 10:00, customer 10:01, assigned to asha 10:02, asha replies 10:05
    (first response 300 s), customer 10:10 and 10:12, ravi replies 10:20 (reply 600 s),
    closed 10:30 (resolution 1800 s), reopened 10:40, customer 10:41, asha 10:43 (reply 120 s),
    closed 11:00 (resolution 3600 s).
    c-2: created 10:00, customer 10:00, unanswered and open.
    c-3: created 09:00, assigned to ravi, ravi replies 09:10 (first response 600 s), open.
    """
    d = "2026-11-02T"
    return [
        event("created", d + "10:00:00Z"),
        event("customer_replied", d + "10:01:00Z"),
        event("assigned", d + "10:02:00Z", agent="asha"),
        event("agent_replied", d + "10:05:00Z", agent="asha"),
        event("customer_replied", d + "10:10:00Z"),
        event("customer_replied", d + "10:12:00Z"),
        event("agent_replied", d + "10:20:00Z", agent="ravi"),
        event("closed", d + "10:30:00Z"),
        event("reopened", d + "10:40:00Z"),
        event("customer_replied", d + "10:41:00Z"),
        event("agent_replied", d + "10:43:00Z", agent="asha"),
        event("closed", d + "11:00:00Z"),
        event("created", d + "10:00:00Z", conversation="c-2", channel="mail"),
        event("customer_replied", d + "10:00:00Z", conversation="c-2", channel="mail"),
        event("created", d + "09:00:00Z", conversation="c-3"),
        event("assigned", d + "09:01:00Z", conversation="c-3", agent="ravi"),
        event("agent_replied", d + "09:10:00Z", conversation="c-3", agent="ravi"),
    ]


EXPECTED = {
    "conversations_created": 3,
    "conversations_assigned": 2,
    "conversations_closed": 2,
    "conversations_reopened": 1,
    "agent_replies": 4,
    "customer_replies": 5,
    # (300 + 600) / 2
    "avg_first_response_seconds": 450.0,
    # (1800 + 3600) / 2
    "avg_resolution_seconds": 2700.0,
    # (600 + 120) / 2
    "avg_reply_seconds": 360.0,
    "open_now": 2,
    "unassigned_now": 1,
    # c-2 never answered; c-3 answered and nothing waiting
    "unattended_now": 1,
}


def test_every_metric_of_the_story(store_a):
    with in_store(store_a):
        result = analytics_events_ingest(events=conversation_story())
        summary = analytics_summary(period=NOV_2)

    assert (result.accepted, result.duplicates) == (17, 0)
    assert {k: summary[k] for k in EXPECTED} == EXPECTED
    assert summary["previous"] == {
        "start": "2026-11-01",
        "end": "2026-11-01",
        "conversations_created": 0,
        "conversations_assigned": 0,
        "conversations_closed": 0,
        "conversations_reopened": 0,
        "agent_replies": 0,
        "customer_replies": 0,
        "avg_first_response_seconds": None,
        "avg_resolution_seconds": None,
        "avg_reply_seconds": None,
    }


@pytest.mark.parametrize("seed", range(6))
def test_same_result_whatever_the_arrival_order(store_a, seed):
    import random

    events = conversation_story()
    random.Random(seed).shuffle(events)
    with in_store(store_a):
        # One event per batch: every late arrival goes through the replay.
        for one in events:
            analytics_events_ingest(events=[one])
        summary = analytics_summary(period=NOV_2)

    assert {k: summary[k] for k in EXPECTED} == EXPECTED
