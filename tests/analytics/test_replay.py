"""The metric rules on plain data: `conversation_replay` and `facts_difference`, no database."""

import itertools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from tenant_apps.analytics.models import NONE_KEY, ROLLUP_COUNTERS, EventType
from tenant_apps.analytics.replay import (
    AGENT_REPLIES,
    ASSIGNED,
    CLOSED,
    CREATED,
    CUSTOMER_REPLIES,
    FIRST_RESPONSE_COUNT,
    FIRST_RESPONSE_SUM,
    REOPENED,
    REPLY_COUNT,
    REPLY_SUM,
    RESOLUTION_COUNT,
    RESOLUTION_SUM,
    StoredEvent,
    conversation_replay,
    facts_difference,
)

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
ASHA, RAVI = 11, 12  # Agent pks
WHATSAPP, MAIL = 21, 22  # Channel pks
_ids = itertools.count(1)


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


def ev(kind: EventType, minute: float, agent=None, channel=WHATSAPP, event_id=None):
    return StoredEvent(event_id or f"e{next(_ids):03}", int(kind), at(minute), agent, channel)


def totals(facts: dict) -> dict[str, int]:
    """Every counter summed over time, agent and channel, by column name (zeros left out)."""
    summed = Counter()
    for (_at, _agent, _channel, counter), amount in facts.items():
        summed[ROLLUP_COUNTERS[counter]] += amount
    return {name: amount for name, amount in summed.items() if amount}


def test_first_response_is_counted_at_the_first_agent_reply():
    events = [
        ev(EventType.CREATED, 0),
        ev(EventType.CUSTOMER_REPLIED, 1),
        ev(EventType.ASSIGNED, 2, agent=ASHA),
        ev(EventType.AGENT_REPLIED, 5, agent=ASHA),
    ]

    replay = conversation_replay(events)

    assert dict(replay.facts) == {
        (at(0), NONE_KEY, WHATSAPP, CREATED): 1,
        (at(1), NONE_KEY, WHATSAPP, CUSTOMER_REPLIES): 1,
        (at(2), ASHA, WHATSAPP, ASSIGNED): 1,
        (at(5), ASHA, WHATSAPP, AGENT_REPLIES): 1,
        # 10:05 - 10:00; the customer's 10:01 message is answered but the first reply is
        # never also a reply time.
        (at(5), ASHA, WHATSAPP, FIRST_RESPONSE_SUM): 300,
        (at(5), ASHA, WHATSAPP, FIRST_RESPONSE_COUNT): 1,
    }
    assert (replay.status, replay.created_at, replay.first_reply_at) == ("open", at(0), at(5))
    assert (replay.assignee_id, replay.waiting_since) == (ASHA, None)
    assert (replay.channel_id, replay.last_event_at) == (WHATSAPP, at(5))


def test_first_response_waits_for_the_created_event():
    reply = ev(EventType.AGENT_REPLIED, 5, agent=ASHA)

    pending = conversation_replay([reply])
    complete = conversation_replay([reply, ev(EventType.CREATED, 0)])

    assert totals(pending.facts) == {"agent_replies": 1}
    assert (pending.created_at, pending.first_reply_at) == (None, at(5))
    assert totals(complete.facts) == {
        "conversations_created": 1,
        "agent_replies": 1,
        "first_response_seconds_sum": 300,
        "first_response_count": 1,
    }


def test_resolution_is_counted_at_every_close_and_the_last_status_wins():
    events = [
        ev(EventType.CREATED, 0),
        ev(EventType.ASSIGNED, 1, agent=ASHA),
        ev(EventType.CLOSED, 30),
        ev(EventType.REOPENED, 40),
        ev(EventType.CLOSED, 60, agent=RAVI),
    ]

    replay = conversation_replay(events)
    reopened = conversation_replay(events[:4])

    assert {
        k: v for k, v in replay.facts.items() if k[3] in (RESOLUTION_SUM, RESOLUTION_COUNT)
    } == {
        # Closed without an agent: the assignee at that moment.
        (at(30), ASHA, WHATSAPP, RESOLUTION_SUM): 1800,
        (at(30), ASHA, WHATSAPP, RESOLUTION_COUNT): 1,
        (at(60), RAVI, WHATSAPP, RESOLUTION_SUM): 3600,
        (at(60), RAVI, WHATSAPP, RESOLUTION_COUNT): 1,
    }
    assert replay.facts[(at(40), ASHA, WHATSAPP, REOPENED)] == 1
    assert replay.facts[(at(60), RAVI, WHATSAPP, CLOSED)] == 1
    assert (replay.status, reopened.status) == ("closed", "open")


def test_reply_time_runs_from_the_oldest_unanswered_customer_message():
    events = [
        ev(EventType.CREATED, 0),
        ev(EventType.AGENT_REPLIED, 5, agent=ASHA),
        ev(EventType.CUSTOMER_REPLIED, 10),
        ev(EventType.CUSTOMER_REPLIED, 12),
        ev(EventType.AGENT_REPLIED, 20, agent=RAVI),  # answers both: 10:20 - 10:10
        ev(EventType.AGENT_REPLIED, 22, agent=ASHA),  # nobody waiting: no reply time
        ev(EventType.CUSTOMER_REPLIED, 30),
    ]

    replay = conversation_replay(events)

    assert {k: v for k, v in replay.facts.items() if k[3] in (REPLY_SUM, REPLY_COUNT)} == {
        (at(20), RAVI, WHATSAPP, REPLY_SUM): 600,
        (at(20), RAVI, WHATSAPP, REPLY_COUNT): 1,
    }
    assert replay.waiting_since == at(30)


def test_a_close_clears_the_wait():
    events = [
        ev(EventType.CREATED, 0),
        ev(EventType.AGENT_REPLIED, 5, agent=ASHA),
        ev(EventType.CUSTOMER_REPLIED, 10),
        ev(EventType.CLOSED, 15, agent=ASHA),
        ev(EventType.REOPENED, 20),
        ev(EventType.AGENT_REPLIED, 25, agent=ASHA),
    ]

    replay = conversation_replay(events)

    assert totals(replay.facts)["agent_replies"] == 2
    assert "reply_count" not in totals(replay.facts)
    assert replay.waiting_since is None


def test_customer_replies_closes_and_reopens_count_for_the_assignee_at_that_moment():
    events = [
        ev(EventType.CREATED, 0),
        ev(EventType.CUSTOMER_REPLIED, 1),
        ev(EventType.ASSIGNED, 2, agent=ASHA),
        ev(EventType.CUSTOMER_REPLIED, 3),
        ev(EventType.ASSIGNED, 4, agent=RAVI),
        ev(EventType.CUSTOMER_REPLIED, 5),
        ev(EventType.CUSTOMER_REPLIED, 6, agent=ASHA),  # named on the event: that agent
        ev(EventType.CLOSED, 7),
        ev(EventType.REOPENED, 8),
    ]

    replay = conversation_replay(events)

    customer = [(k[0], k[1]) for k, v in replay.facts.items() if k[3] == CUSTOMER_REPLIES]
    assigned = {k[1]: v for k, v in replay.facts.items() if k[3] == ASSIGNED}
    assert sorted(customer) == [(at(1), NONE_KEY), (at(3), ASHA), (at(5), RAVI), (at(6), ASHA)]
    assert assigned == {ASHA: 1, RAVI: 1}
    assert replay.facts[(at(7), RAVI, WHATSAPP, CLOSED)] == 1
    assert replay.facts[(at(8), RAVI, WHATSAPP, REOPENED)] == 1
    assert replay.assignee_id == RAVI


def test_timestamp_ties_follow_the_type_rank_and_skew_counts_as_zero():
    # Closed and created at the same instant: created first, so a resolution of 0 s.
    tie = conversation_replay([ev(EventType.CLOSED, 0), ev(EventType.CREATED, 0)])
    # A reply stamped a minute before its conversation was created (clock skew).
    skew = conversation_replay(
        [ev(EventType.AGENT_REPLIED, 9, agent=ASHA), ev(EventType.CREATED, 10)]
    )

    assert totals(tie.facts) == {
        "conversations_created": 1,
        "conversations_closed": 1,
        "resolution_count": 1,
    }
    assert tie.status == "closed"
    assert skew.facts[(at(9), ASHA, WHATSAPP, FIRST_RESPONSE_SUM)] == 0
    assert skew.facts[(at(9), ASHA, WHATSAPP, FIRST_RESPONSE_COUNT)] == 1


def test_no_events_is_an_open_conversation_with_no_facts():
    replay = conversation_replay([])

    assert dict(replay.facts) == {}
    assert (replay.status, replay.channel_id, replay.last_event_at) == ("open", None, None)


def story() -> list[StoredEvent]:
    """One conversation in time order: first response 300 s (asha), reply time 600 s (ravi),
    resolution 1800 s, reopened, reply time 120 s (asha), resolution 3600 s."""
    return [
        ev(EventType.CREATED, 0, event_id="a"),
        ev(EventType.CUSTOMER_REPLIED, 1, event_id="b"),
        ev(EventType.ASSIGNED, 2, agent=ASHA, event_id="c"),
        ev(EventType.AGENT_REPLIED, 5, agent=ASHA, event_id="d"),
        ev(EventType.CUSTOMER_REPLIED, 10, event_id="e"),
        ev(EventType.CUSTOMER_REPLIED, 12, event_id="f"),
        ev(EventType.AGENT_REPLIED, 20, agent=RAVI, event_id="g"),
        ev(EventType.CLOSED, 30, event_id="h"),
        ev(EventType.REOPENED, 40, event_id="i"),
        ev(EventType.CUSTOMER_REPLIED, 41, event_id="j", channel=MAIL),
        ev(EventType.AGENT_REPLIED, 43, agent=ASHA, event_id="k", channel=MAIL),
        ev(EventType.CLOSED, 60, event_id="l", channel=MAIL),
    ]


STORY_TOTALS = {
    "conversations_created": 1,
    "conversations_assigned": 1,
    "conversations_closed": 2,
    "conversations_reopened": 1,
    "agent_replies": 3,
    "customer_replies": 4,
    "first_response_seconds_sum": 300,
    "first_response_count": 1,
    "resolution_seconds_sum": 1800 + 3600,
    "resolution_count": 2,
    "reply_seconds_sum": 600 + 120,
    "reply_count": 2,
}


def test_the_story_in_time_order():
    replay = conversation_replay(story())

    assert totals(replay.facts) == STORY_TOTALS
    assert (replay.status, replay.assignee_id, replay.channel_id) == ("closed", ASHA, MAIL)
    assert (replay.first_reply_at, replay.last_event_at) == (at(5), at(60))


def test_out_of_order_arrival_gives_the_same_result():
    in_order = conversation_replay(story())

    for seed in range(200):
        shuffled = story()
        random.Random(seed).shuffle(shuffled)
        replay = conversation_replay(shuffled)
        assert replay == in_order, seed
    backwards = conversation_replay(story()[::-1])
    assert totals(backwards.facts) == STORY_TOTALS
    assert backwards == in_order


def test_every_arrival_order_of_a_short_conversation_gives_the_same_result():
    events = story()[:6]
    expected = conversation_replay(events)

    results = {repr(conversation_replay(list(order))) for order in itertools.permutations(events)}

    assert results == {repr(expected)}
    assert totals(expected.facts)["first_response_seconds_sum"] == 300


def test_a_late_created_event_adds_the_pending_durations():
    events = story()
    before = conversation_replay(events[1:])  # everything but "created"

    difference = facts_difference(conversation_replay(events).facts, before.facts)

    assert difference == {
        (at(0), NONE_KEY, WHATSAPP, CREATED): 1,
        (at(5), ASHA, WHATSAPP, FIRST_RESPONSE_SUM): 300,
        (at(5), ASHA, WHATSAPP, FIRST_RESPONSE_COUNT): 1,
        (at(30), ASHA, WHATSAPP, RESOLUTION_SUM): 1800,
        (at(30), ASHA, WHATSAPP, RESOLUTION_COUNT): 1,
        (at(60), ASHA, MAIL, RESOLUTION_SUM): 3600,
        (at(60), ASHA, MAIL, RESOLUTION_COUNT): 1,
    }


def test_an_earlier_reply_arriving_late_moves_the_first_response():
    early = [ev(EventType.CREATED, 0, event_id="x1")]
    early.append(ev(EventType.AGENT_REPLIED, 30, agent=RAVI, event_id="x2"))
    late_reply = ev(EventType.AGENT_REPLIED, 10, agent=ASHA, event_id="x3")

    before = conversation_replay(early)
    after = conversation_replay([*early, late_reply])
    difference = facts_difference(after.facts, before.facts)

    assert difference == {
        (at(10), ASHA, WHATSAPP, AGENT_REPLIES): 1,
        (at(10), ASHA, WHATSAPP, FIRST_RESPONSE_SUM): 600,
        (at(10), ASHA, WHATSAPP, FIRST_RESPONSE_COUNT): 1,
        # Ravi's 10:30 reply no longer is the first response.
        (at(30), RAVI, WHATSAPP, FIRST_RESPONSE_SUM): -1800,
        (at(30), RAVI, WHATSAPP, FIRST_RESPONSE_COUNT): -1,
    }
    assert after.first_reply_at == at(10)
