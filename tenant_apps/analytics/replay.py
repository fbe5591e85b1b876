"""The metric rules: one conversation's events replayed in time order. Plain data in, plain
data out, no database — ingestion and rebuild both call `conversation_replay`.

Rules (Chatwoot's report definitions, made independent of arrival order):

- Events sort by (occurred_at, type rank, event id); the type rank puts created, assigned,
  customer reply, agent reply, closed, reopened in that order when timestamps tie. So the
  result is a function of the *set* of events, never of the order they arrived in.
- Counts: each event counts once in the bucket of its occurred_at. Created is attributed to the
  event's agent (or no agent); assigned and agent replies to the event's agent; customer
  replies, closes and reopens to the event's agent if given, else to the assignee at that
  moment of the replay.
- created_at is the earliest `created` event. Until it arrives, first response and resolution
  times of the conversation are pending; when it arrives they are added.
- First response = first agent reply - created_at, counted at that reply. The first reply never
  counts as a reply time (as in Chatwoot).
- Reply time = a later agent reply - the oldest customer reply not yet answered; any agent reply
  answers every waiting customer reply. A close clears the wait.
- Resolution = closed - created_at, counted at every close.
- Durations below zero (clock skew) count as 0 seconds.
- Status: closed after a `closed` event, open again after `reopened`; the last of them in time
  wins. Assignee: the agent of the last `assigned` event.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from .models import NONE_KEY, ROLLUP_COUNTERS, ConversationStatus, EventType

# Counter positions in ROLLUP_COUNTERS, named for readability of the rules.
(
    CREATED,
    ASSIGNED,
    CLOSED,
    REOPENED,
    AGENT_REPLIES,
    CUSTOMER_REPLIES,
    FIRST_RESPONSE_SUM,
    FIRST_RESPONSE_COUNT,
    RESOLUTION_SUM,
    RESOLUTION_COUNT,
    REPLY_SUM,
    REPLY_COUNT,
) = range(len(ROLLUP_COUNTERS))


@dataclass
class StoredEvent:
    """The facts of one recorded event; agent and channel are Agent/Channel pks."""

    event_id: str
    type: int
    occurred_at: datetime
    agent_id: int | None
    channel_id: int

    @property
    def sort_key(self):
        return (self.occurred_at, self.type, self.event_id)


@dataclass
class ConversationReplay:
    facts: dict  # (occurred_at, agent key, channel id, counter index) -> amount
    status: str
    created_at: datetime | None
    first_reply_at: datetime | None
    assignee_id: int | None
    waiting_since: datetime | None
    channel_id: int | None
    last_event_at: datetime | None


def _seconds_between(start: datetime, end: datetime) -> int:
    # A reply stamped before its conversation's creation (clock skew between systems) counts
    # as an immediate answer rather than a negative duration.
    return max(0, round((end - start).total_seconds()))


class _Replay:
    """The running state of one replay, with one step per event type."""

    def __init__(self, created_at: datetime | None):
        self.created_at = created_at
        self.facts: dict = defaultdict(int)
        self.status = ConversationStatus.OPEN
        self.assignee_id: int | None = None
        self.waiting_since: datetime | None = None
        self.first_reply_at: datetime | None = None

    def count(self, event: StoredEvent, agent: int, counter: int, amount: int = 1) -> None:
        self.facts[(event.occurred_at, agent, event.channel_id, counter)] += amount

    def duration(self, event, agent, sum_counter, count_counter, since: datetime) -> None:
        self.count(event, agent, sum_counter, _seconds_between(since, event.occurred_at))
        self.count(event, agent, count_counter)

    def agent_or_assignee(self, event: StoredEvent) -> int:
        return event.agent_id or self.assignee_id or NONE_KEY

    def created(self, event: StoredEvent) -> None:
        self.count(event, event.agent_id or NONE_KEY, CREATED)

    def assigned(self, event: StoredEvent) -> None:
        self.assignee_id = event.agent_id
        self.count(event, event.agent_id, ASSIGNED)

    def customer_replied(self, event: StoredEvent) -> None:
        self.count(event, self.agent_or_assignee(event), CUSTOMER_REPLIES)
        if self.waiting_since is None:
            self.waiting_since = event.occurred_at

    def agent_replied(self, event: StoredEvent) -> None:
        agent = event.agent_id
        self.count(event, agent, AGENT_REPLIES)
        if self.first_reply_at is None:
            self.first_reply_at = event.occurred_at
            if self.created_at is not None:
                since = self.created_at
                self.duration(event, agent, FIRST_RESPONSE_SUM, FIRST_RESPONSE_COUNT, since)
        elif self.waiting_since is not None:
            self.duration(event, agent, REPLY_SUM, REPLY_COUNT, self.waiting_since)
        self.waiting_since = None

    def closed(self, event: StoredEvent) -> None:
        agent = self.agent_or_assignee(event)
        self.count(event, agent, CLOSED)
        if self.created_at is not None:
            self.duration(event, agent, RESOLUTION_SUM, RESOLUTION_COUNT, self.created_at)
        self.status = ConversationStatus.CLOSED
        self.waiting_since = None

    def reopened(self, event: StoredEvent) -> None:
        self.count(event, self.agent_or_assignee(event), REOPENED)
        self.status = ConversationStatus.OPEN


_STEPS = {
    EventType.CREATED: _Replay.created,
    EventType.ASSIGNED: _Replay.assigned,
    EventType.CUSTOMER_REPLIED: _Replay.customer_replied,
    EventType.AGENT_REPLIED: _Replay.agent_replied,
    EventType.CLOSED: _Replay.closed,
    EventType.REOPENED: _Replay.reopened,
}


def conversation_replay(events: list[StoredEvent]) -> ConversationReplay:
    """The metrics (as facts) and state of one conversation from its events; see the rules
    at the top of this module. The order of `events` does not matter."""
    events = sorted(events, key=lambda e: e.sort_key)
    created_at = next((e.occurred_at for e in events if e.type == EventType.CREATED), None)
    replay = _Replay(created_at)
    for event in events:
        _STEPS[event.type](replay, event)
    last = events[-1] if events else None
    return ConversationReplay(
        facts=replay.facts,
        status=replay.status,
        created_at=created_at,
        first_reply_at=replay.first_reply_at,
        assignee_id=replay.assignee_id,
        waiting_since=replay.waiting_since,
        channel_id=last.channel_id if last else None,
        last_event_at=last.occurred_at if last else None,
    )


def facts_difference(after: dict, before: dict) -> dict:
    """What to add to the rollups to go from `before`'s facts to `after`'s (may be negative)."""
    difference = {}
    for key, amount in after.items():
        change = amount - before.get(key, 0)
        if change:
            difference[key] = change
    for key, amount in before.items():
        if key not in after and amount:
            difference[key] = -amount
    return difference
