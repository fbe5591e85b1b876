"""Day boundaries in local time zones, out-of-order arrival rules, and the rebuild command."""

import io
import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tenant_apps.analytics.models import Agent, Channel, ConversationState, Rollup
from tenant_apps.analytics.selectors import Period, analytics_summary, analytics_timeseries
from tenant_apps.analytics.services import analytics_events_ingest
from tests.support.analytics import event
from tests.support.stores import in_store

KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
KATHMANDU = ZoneInfo("Asia/Kathmandu")


def created_count(day: date, tz: ZoneInfo) -> int:
    return analytics_summary(period=Period(day, day, tz))["conversations_created"]


def test_kolkata_day_starts_at_18_30_utc(store_a):
    with in_store(store_a):
        analytics_events_ingest(
            events=[
                event("created", "2026-11-01T18:29:59Z", conversation="late-1st"),  # 23:59:59 IST
                event("created", "2026-11-01T18:30:00Z", conversation="early-2nd"),  # 00:00 IST
                event("created", "2026-11-02T18:29:00Z", conversation="late-2nd"),  # 23:59 IST
                event("created", "2026-11-02T18:30:00Z", conversation="3rd"),  # 00:00 IST 3rd
            ]
        )
        assert created_count(date(2026, 11, 1), KOLKATA) == 1
        assert created_count(date(2026, 11, 2), KOLKATA) == 2
        assert created_count(date(2026, 11, 3), KOLKATA) == 1
        # The same events by UTC day: all four fall on the 1st or the 2nd differently.
        assert created_count(date(2026, 11, 1), ZoneInfo("UTC")) == 2
        assert created_count(date(2026, 11, 2), ZoneInfo("UTC")) == 2


def test_kathmandu_quarter_hour_offset(store_a):
    with in_store(store_a):
        analytics_events_ingest(
            events=[
                event("created", "2026-11-01T18:14:00Z", conversation="a"),  # 23:59 NPT
                event("created", "2026-11-01T18:15:00Z", conversation="b"),  # 00:00 NPT
            ]
        )
        assert created_count(date(2026, 11, 1), KATHMANDU) == 1
        assert created_count(date(2026, 11, 2), KATHMANDU) == 1


def test_new_york_days_across_the_dst_change(store_b):
    """2026-11-01: clocks go back at 02:00 EDT, so that day lasts 25 hours (04:00Z to 05:00Z)."""
    with in_store(store_b):
        analytics_events_ingest(
            events=[
                event("created", "2026-11-01T03:59:00Z", conversation="sat-night"),  # Oct 31
                event("created", "2026-11-01T04:00:00Z", conversation="sun-start"),  # 00:00 EDT
                event("created", "2026-11-01T05:30:00Z", conversation="first-1:30"),  # 01:30 EDT
                event("created", "2026-11-01T06:30:00Z", conversation="second-1:30"),  # 01:30 EST
                event("created", "2026-11-02T04:59:00Z", conversation="sun-end"),  # 23:59 EST
                event("created", "2026-11-02T05:00:00Z", conversation="mon"),  # 00:00 EST
            ]
        )
        assert created_count(date(2026, 10, 31), NEW_YORK) == 1
        assert created_count(date(2026, 11, 1), NEW_YORK) == 4
        assert created_count(date(2026, 11, 2), NEW_YORK) == 1
        hours = analytics_timeseries(
            period=Period(date(2026, 11, 1), date(2026, 11, 1), NEW_YORK),
            metric="conversations_created",
            interval="hour",
        )
    assert len(hours) == 25
    assert hours[1] == {"start": "2026-11-01T01:00:00-04:00", "value": 1, "count": 1}
    assert hours[2] == {"start": "2026-11-01T01:00:00-05:00", "value": 1, "count": 1}
    assert [h["value"] for h in hours].count(1) == 4


def test_new_york_spring_forward_day_has_23_hours(store_b):
    with in_store(store_b):
        analytics_events_ingest(
            events=[event("created", "2026-03-08T06:59:00Z", conversation="01:59 EST")]
        )
        hours = analytics_timeseries(
            period=Period(date(2026, 3, 8), date(2026, 3, 8), NEW_YORK),
            metric="conversations_created",
            interval="hour",
        )
    assert len(hours) == 23
    assert hours[1]["start"] == "2026-03-08T01:00:00-05:00"
    assert hours[1]["value"] == 1
    assert hours[2]["start"] == "2026-03-08T03:00:00-04:00"


def test_a_year_long_summary_mixes_day_and_quarter_rows_exactly(store_a):
    times = [
        "2025-01-01T18:29:00Z",  # Jan 1 23:59 IST: outside
        "2025-01-01T18:30:00Z",  # Jan 2 00:00 IST: first instant inside
        "2025-06-15T12:00:00Z",  # a whole UTC day inside: read from a day row
        "2025-12-31T18:29:00Z",  # Dec 31 23:59 IST: last minute inside
        "2025-12-31T18:30:00Z",  # Jan 1 2026 IST: outside
    ]
    with in_store(store_a):
        analytics_events_ingest(
            events=[event("created", t, conversation=f"c{i}") for i, t in enumerate(times)]
        )
        summary = analytics_summary(period=Period(date(2025, 1, 2), date(2025, 12, 31), KOLKATA))
        days = analytics_timeseries(
            period=Period(date(2025, 1, 2), date(2025, 12, 31), KOLKATA),
            metric="conversations_created",
            interval="day",
        )
    assert summary["conversations_created"] == 3
    assert len(days) == 364
    assert sum(d["value"] for d in days) == 3


# --------------------------------------------------------------------------- out of order


def test_reply_before_created_counts_first_response_when_created_arrives(store_a):
    day = Period(date(2026, 11, 2), date(2026, 11, 2), ZoneInfo("UTC"))
    with in_store(store_a):
        analytics_events_ingest(
            events=[event("agent_replied", "2026-11-02T10:05:00Z", agent="asha")]
        )
        pending = analytics_summary(period=day)
        analytics_events_ingest(events=[event("created", "2026-11-02T10:00:00Z")])
        complete = analytics_summary(period=day)

    assert (pending["agent_replies"], pending["avg_first_response_seconds"]) == (1, None)
    assert pending["unattended_now"] == 0  # answered, nothing waiting
    assert (complete["agent_replies"], complete["avg_first_response_seconds"]) == (1, 300.0)


def test_an_earlier_reply_arriving_late_becomes_the_first_response(store_a):
    day = Period(date(2026, 11, 2), date(2026, 11, 2), ZoneInfo("UTC"))
    with in_store(store_a):
        analytics_events_ingest(
            events=[
                event("created", "2026-11-02T10:00:00Z"),
                event("customer_replied", "2026-11-02T10:20:00Z"),
                event("agent_replied", "2026-11-02T10:30:00Z", agent="ravi"),
            ]
        )
        before = analytics_summary(period=day)
        analytics_events_ingest(
            events=[event("agent_replied", "2026-11-02T10:10:00Z", agent="asha")]
        )
        after = analytics_summary(period=day)
        asha = analytics_summary(period=day, agent=_agent("asha"))
        ravi = analytics_summary(period=day, agent=_agent("ravi"))

    # Before: ravi's reply was the first (1800 s). After: asha's (600 s) is; ravi's answers
    # the customer message of 10:20 (600 s).
    assert (before["avg_first_response_seconds"], before["avg_reply_seconds"]) == (1800.0, None)
    assert (after["avg_first_response_seconds"], after["avg_reply_seconds"]) == (600.0, 600.0)
    assert (asha["avg_first_response_seconds"], asha["avg_reply_seconds"]) == (600.0, None)
    assert (ravi["avg_first_response_seconds"], ravi["avg_reply_seconds"]) == (None, 600.0)


def test_close_before_created_counts_resolution_once_created_arrives(store_a):
    day = Period(date(2026, 11, 2), date(2026, 11, 2), ZoneInfo("UTC"))
    with in_store(store_a):
        analytics_events_ingest(events=[event("closed", "2026-11-02T12:00:00Z")])
        pending = analytics_summary(period=day)
        analytics_events_ingest(events=[event("created", "2026-11-02T10:00:00Z")])
        complete = analytics_summary(period=day)
        state = ConversationState.objects.get(external_id="c-1")

    assert (pending["conversations_closed"], pending["avg_resolution_seconds"]) == (1, None)
    assert (complete["conversations_closed"], complete["avg_resolution_seconds"]) == (1, 7200.0)
    assert (state.status, complete["open_now"]) == ("closed", 0)


def test_reply_time_counts_from_the_oldest_waiting_customer_message(store_a):
    day = Period(date(2026, 11, 2), date(2026, 11, 2), ZoneInfo("UTC"))
    with in_store(store_a):
        analytics_events_ingest(
            events=[
                event("created", "2026-11-02T10:00:00Z"),
                event("agent_replied", "2026-11-02T10:00:30Z", agent="asha"),  # first response
                event("customer_replied", "2026-11-02T10:01:00Z"),
                event("customer_replied", "2026-11-02T10:02:00Z"),
                event("customer_replied", "2026-11-02T10:03:00Z"),
                event("agent_replied", "2026-11-02T10:05:00Z", agent="asha"),  # 240 s
                event("agent_replied", "2026-11-02T10:06:00Z", agent="asha"),  # nothing waits
                event("customer_replied", "2026-11-02T10:10:00Z"),
            ]
        )
        summary = analytics_summary(period=day)
    assert (summary["avg_first_response_seconds"], summary["avg_reply_seconds"]) == (30.0, 240.0)
    assert summary["agent_replies"] == 3
    assert summary["unattended_now"] == 1  # the 10:10 message waits


def test_customer_replies_count_for_the_assignee_at_that_moment(store_a):
    day = Period(date(2026, 11, 2), date(2026, 11, 2), ZoneInfo("UTC"))
    with in_store(store_a):
        analytics_events_ingest(
            events=[
                event("customer_replied", "2026-11-02T10:03:00Z"),
                event("assigned", "2026-11-02T10:02:00Z", agent="asha"),
                event("customer_replied", "2026-11-02T10:01:00Z"),
                event("assigned", "2026-11-02T10:04:00Z", agent="ravi"),
            ]
        )
        asha = analytics_summary(period=day, agent=_agent("asha"))
        ravi = analytics_summary(period=day, agent=_agent("ravi"))
        store = analytics_summary(period=day)
    assert (asha["customer_replies"], ravi["customer_replies"]) == (1, 0)
    assert store["customer_replies"] == 2
    assert (ravi["open_now"], asha["open_now"]) == (1, 0)


def _agent(external_id):
    return Agent.objects.get(external_id=external_id)


def rollup_rows():
    return sorted(
        Rollup.objects.exclude(
            conversations_created=0,
            conversations_assigned=0,
            conversations_closed=0,
            conversations_reopened=0,
            agent_replies=0,
            customer_replies=0,
            first_response_count=0,
            resolution_count=0,
            reply_count=0,
        ).values_list(
            "period",
            "bucket",
            "agent_id",
            "channel_id",
            "conversations_created",
            "agent_replies",
            "customer_replies",
            "first_response_seconds_sum",
            "first_response_count",
            "resolution_seconds_sum",
            "reply_seconds_sum",
            "reply_count",
        )
    )


def story(conversations: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    events = []
    for n in range(conversations):
        c = f"c{n}"
        base = 1_793_000_000 + n * 1800
        minute = 0

        def at(offset, base=base):
            return datetime.fromtimestamp(base + offset, UTC).isoformat()

        events.append(event("created", at(0), conversation=c, channel=f"ch{n % 3}"))
        for _ in range(rng.randint(1, 6)):
            minute += rng.randint(1, 40)
            kind = rng.choice(["customer_replied", "agent_replied", "assigned", "closed"])
            agent = rng.choice(["asha", "ravi", "mina"])
            events.append(
                event(
                    kind,
                    at(minute * 60),
                    conversation=c,
                    channel=f"ch{n % 3}",
                    agent=agent if kind in ("agent_replied", "assigned") else None,
                )
            )
            if kind == "closed" and rng.random() < 0.5:
                minute += 5
                events.append(event("reopened", at(minute * 60), conversation=c, channel="ch0"))
    return events


def rollup_rows_by_external_id():
    """Rollup rows with agent/channel pks replaced by external ids (pks differ per store)."""
    agents = {a.pk: a.external_id for a in Agent.objects.all()}
    channels = {c.pk: c.external_id for c in Channel.objects.all()}
    return sorted(
        (*row[:2], agents.get(row[2], str(row[2])), channels.get(row[3], str(row[3])), *row[4:])
        for row in rollup_rows()
    )


def test_rollups_are_the_same_whatever_order_and_batching(store_a, store_b):
    events = story(30, seed=7)
    shuffled = list(events)
    random.Random(1).shuffle(shuffled)
    store_b.timezone = store_a.timezone  # so both key their day rows by the same days
    with in_store(store_a):
        analytics_events_ingest(events=events)
        in_order = rollup_rows_by_external_id()
    with in_store(store_b):
        for start in range(0, len(shuffled), 7):
            analytics_events_ingest(events=shuffled[start : start + 7])
        analytics_events_ingest(events=shuffled[:20])  # re-deliveries change nothing
        out_of_order = rollup_rows_by_external_id()

    assert len(in_order) > 100
    assert out_of_order == in_order


def test_rebuild_command_is_idempotent(store_a):
    events = story(20, seed=3)
    with in_store(store_a):
        analytics_events_ingest(events=events)
        ingested = rollup_rows()
        Rollup.objects.filter(period=1).update(agent_replies=999)  # damage
        ConversationState.objects.update(status="open", assignee=None)
    out = io.StringIO()
    call_command("analytics_rebuild", store="alpha", stdout=out)
    with in_store(store_a):
        first = rollup_rows()
        states_first = sorted(ConversationState.objects.values_list("external_id", "status"))
    call_command("analytics_rebuild", store="alpha", stdout=io.StringIO())
    with in_store(store_a):
        second = rollup_rows()
        states_second = sorted(ConversationState.objects.values_list("external_id", "status"))

    assert first == ingested
    assert second == first
    assert states_first == states_second
    assert out.getvalue().startswith(f"alpha: 20 conversations, {len(events)} events, ")


def test_rebuild_refuses_an_unknown_store(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("analytics_rebuild", store="nope")
