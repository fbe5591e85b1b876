"""Every write of support analytics: event ingestion into rollups, ingestion tokens, rebuilds.

Ingestion in one transaction per batch:

1. validate the whole batch (any invalid event: nothing is recorded);
2. create or update the agents and channels named in it;
3. lock the state rows of the conversations it touches (concurrent batches for one
   conversation wait for each other, so a delta is never computed twice from the same state);
4. insert the event ids, skipping those seen before (re-deliveries count once);
5. replay each touched conversation's events in occurred_at order, before and after the new
   events, and add the difference to the rollups with one upsert that adds.

Out-of-order rules (see `conversation_replay`): the metrics of a conversation are a function of
the *set* of its events sorted by (occurred_at, type rank, event id), never of arrival order.
A late event changes the contribution of its conversation; the difference — possibly negative
for buckets that lose a fact — is what gets added, so the rollups always equal those of the same
events delivered in time order.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from saas.access.timezone import current_store_timezone
from saas.api.errors import ApplicationError, NotFoundError
from saas.db import pg_array, pg_int_array

from .models import (
    ALL_KEY,
    BUCKET_SECONDS,
    HOUR_SECONDS,
    NONE_KEY,
    ROLLUP_COUNTERS,
    ConversationStatus,
    EventType,
    IngestionToken,
    RollupPeriod,
    day_start,
)

logger = logging.getLogger(__name__)

MAX_BATCH_EVENTS = 1000
MAX_ID_LENGTH = 100

EVENT_TYPES_BY_NAME = {label: value for value, label in EventType.choices}
AGENT_REQUIRED_TYPES = {EventType.ASSIGNED, EventType.AGENT_REPLIED}

# Counter positions in ROLLUP_COUNTERS, named for readability of the replay.
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


class AnalyticsError(ApplicationError):
    pass


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    duplicates: int


@dataclass(frozen=True)
class ParsedEvent:
    event_id: str
    type: int
    occurred_at: datetime
    conversation_id: str
    channel_id: str
    channel_name: str
    channel_type: str
    agent_id: str | None
    agent_name: str
    agent_email: str


# --------------------------------------------------------------------------- validation


def _external_id(value: Any, field: str, problems: dict) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        problems[field] = "must be a non-empty string"
        return None
    text = str(value).strip()
    if not text:
        problems[field] = "must be a non-empty string"
        return None
    if len(text) > MAX_ID_LENGTH:
        problems[field] = f"must be at most {MAX_ID_LENGTH} characters"
        return None
    return text


def _optional_text(value: Any, field: str, problems: dict, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems[field] = "must be a string"
        return ""
    if len(value) > max_length:
        problems[field] = f"must be at most {max_length} characters"
        return ""
    return value.strip()


def _occurred_at(value: Any, problems: dict) -> datetime | None:
    if not isinstance(value, str):
        problems["occurred_at"] = "must be an ISO 8601 date-time with a UTC offset"
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        problems["occurred_at"] = "must be an ISO 8601 date-time with a UTC offset"
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time is ambiguous: whose midnight would it count in?
        problems["occurred_at"] = "must include a UTC offset (e.g. +05:30 or Z)"
        return None
    if not 1970 <= moment.year <= 2100:
        problems["occurred_at"] = "must be between 1970 and 2100"
        return None
    return moment.astimezone(UTC)


def event_parse(raw: Any) -> tuple[ParsedEvent | None, dict]:
    """One event of the API's JSON shape → (event, {}) or (None, {field: reason})."""
    if not isinstance(raw, dict):
        return None, {"event": "must be a JSON object"}
    problems: dict[str, str] = {}
    event_id = _external_id(raw.get("id"), "id", problems)
    type_name = raw.get("type")
    event_type = EVENT_TYPES_BY_NAME.get(type_name) if isinstance(type_name, str) else None
    if event_type is None:
        problems["type"] = "must be one of " + ", ".join(EVENT_TYPES_BY_NAME)
    occurred_at = _occurred_at(raw.get("occurred_at"), problems)

    conversation = raw.get("conversation")
    conversation_id = channel_id = None
    channel_name = channel_type = ""
    if not isinstance(conversation, dict):
        problems["conversation"] = "must be an object with id and channel"
    else:
        conversation_id = _external_id(conversation.get("id"), "conversation.id", problems)
        channel = conversation.get("channel")
        if not isinstance(channel, dict):
            problems["conversation.channel"] = "must be an object with id"
        else:
            channel_id = _external_id(channel.get("id"), "conversation.channel.id", problems)
            channel_name = _optional_text(
                channel.get("name"), "conversation.channel.name", problems, 200
            )
            channel_type = _optional_text(
                channel.get("type"), "conversation.channel.type", problems, 50
            )

    agent = raw.get("agent")
    agent_id = None
    agent_name = agent_email = ""
    if agent is None:
        if event_type in AGENT_REQUIRED_TYPES:
            problems["agent"] = f"is required for {type_name}"
    elif not isinstance(agent, dict):
        problems["agent"] = "must be an object with id"
    else:
        agent_id = _external_id(agent.get("id"), "agent.id", problems)
        agent_name = _optional_text(agent.get("name"), "agent.name", problems, 200)
        agent_email = _optional_text(agent.get("email"), "agent.email", problems, 254)

    if problems:
        return None, problems
    return (
        ParsedEvent(
            event_id=event_id,
            type=event_type,
            occurred_at=occurred_at,
            conversation_id=conversation_id,
            channel_id=channel_id,
            channel_name=channel_name,
            channel_type=channel_type,
            agent_id=agent_id,
            agent_name=agent_name,
            agent_email=agent_email,
        ),
        {},
    )


def events_parse(*, events: list) -> list[ParsedEvent]:
    """The whole batch or an error naming every invalid event (index and reasons)."""
    if not isinstance(events, list) or not events:
        raise AnalyticsError(
            'Send one event or {"events": [...]} with at least one event.', code="no_events"
        )
    if len(events) > MAX_BATCH_EVENTS:
        raise AnalyticsError(
            f"A batch holds at most {MAX_BATCH_EVENTS} events.",
            code="batch_too_large",
            details={"max_events": MAX_BATCH_EVENTS, "received": len(events)},
        )
    parsed: list[ParsedEvent] = []
    invalid = []
    for index, raw in enumerate(events):
        event, problems = event_parse(raw)
        if problems:
            field, reason = next(iter(problems.items()))
            invalid.append({"index": index, "reason": f"{field} {reason}", "fields": problems})
        else:
            parsed.append(event)
    if invalid:
        raise AnalyticsError(
            f"{len(invalid)} of {len(events)} events are invalid; nothing was recorded.",
            code="invalid_events",
            details={"events": invalid},
        )
    return parsed


# --------------------------------------------------------------------------- replay


@dataclass
class StoredEvent:
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


def conversation_replay(events: list[StoredEvent]) -> ConversationReplay:
    """The metrics and state of one conversation from its events, in occurred_at order.

    Rules (Chatwoot's report definitions, made independent of arrival order):
    - Events sort by (occurred_at, type rank, event id); the type rank puts created, assigned,
      customer reply, agent reply, closed, reopened in that order when timestamps tie.
    - Counts: each event counts once in the bucket of its occurred_at. Created is attributed to
      the event's agent (or no agent); assigned and agent replies to the event's agent; customer
      replies, closes and reopens to the event's agent if given, else to the assignee at that
      moment of the replay.
    - created_at is the earliest `created` event. Until it arrives, first response and
      resolution times of the conversation are pending; when it arrives they are added.
    - First response = first agent reply - created_at, counted at that reply. The first reply
      never counts as a reply time (as in Chatwoot).
    - Reply time = a later agent reply - the oldest customer reply not yet answered; any agent
      reply answers every waiting customer reply. A close clears the wait.
    - Resolution = closed - created_at, counted at every close.
    - Durations below zero (clock skew) count as 0 seconds.
    - Status: closed after a `closed` event, open again after `reopened`; the last of them in
      time wins. Assignee: the agent of the last `assigned` event.
    """
    events = sorted(events, key=lambda e: e.sort_key)
    created_at = next((e.occurred_at for e in events if e.type == EventType.CREATED), None)
    facts: dict = defaultdict(int)
    status = ConversationStatus.OPEN
    assignee_id = None
    waiting_since = None
    first_reply_at = None
    for event in events:
        at, channel = event.occurred_at, event.channel_id
        kind = event.type
        if kind == EventType.CREATED:
            facts[(at, event.agent_id or NONE_KEY, channel, CREATED)] += 1
        elif kind == EventType.ASSIGNED:
            assignee_id = event.agent_id
            facts[(at, event.agent_id, channel, ASSIGNED)] += 1
        elif kind == EventType.CUSTOMER_REPLIED:
            agent = event.agent_id or assignee_id or NONE_KEY
            facts[(at, agent, channel, CUSTOMER_REPLIES)] += 1
            if waiting_since is None:
                waiting_since = at
        elif kind == EventType.AGENT_REPLIED:
            agent = event.agent_id
            facts[(at, agent, channel, AGENT_REPLIES)] += 1
            if first_reply_at is None:
                first_reply_at = at
                if created_at is not None:
                    facts[(at, agent, channel, FIRST_RESPONSE_SUM)] += _seconds_between(
                        created_at, at
                    )
                    facts[(at, agent, channel, FIRST_RESPONSE_COUNT)] += 1
            elif waiting_since is not None:
                facts[(at, agent, channel, REPLY_SUM)] += _seconds_between(waiting_since, at)
                facts[(at, agent, channel, REPLY_COUNT)] += 1
            waiting_since = None
        elif kind == EventType.CLOSED:
            agent = event.agent_id or assignee_id or NONE_KEY
            facts[(at, agent, channel, CLOSED)] += 1
            if created_at is not None:
                facts[(at, agent, channel, RESOLUTION_SUM)] += _seconds_between(created_at, at)
                facts[(at, agent, channel, RESOLUTION_COUNT)] += 1
            status = ConversationStatus.CLOSED
            waiting_since = None
        elif kind == EventType.REOPENED:
            agent = event.agent_id or assignee_id or NONE_KEY
            facts[(at, agent, channel, REOPENED)] += 1
            status = ConversationStatus.OPEN
    last = events[-1] if events else None
    return ConversationReplay(
        facts=facts,
        status=status,
        created_at=created_at,
        first_reply_at=first_reply_at,
        assignee_id=assignee_id,
        waiting_since=waiting_since,
        channel_id=last.channel_id if last else None,
        last_event_at=last.occurred_at if last else None,
    )


def _facts_difference(after: dict, before: dict) -> dict:
    difference = {}
    for key, amount in after.items():
        change = amount - before.get(key, 0)
        if change:
            difference[key] = change
    for key, amount in before.items():
        if key not in after and amount:
            difference[key] = -amount
    return difference


def _bucket_epoch(epoch: int, size: int) -> int:
    return epoch - epoch % size


def rollup_deltas_add(deltas: dict, facts: dict, rollup_tz: ZoneInfo) -> None:
    """Spread fact amounts over the rollup rows they belong to (3 periods x 4 keys).

    Keys are (period, bucket start in epoch seconds, agent, channel).
    """
    quarter, hour, day = (
        int(RollupPeriod.QUARTER_HOUR),
        int(RollupPeriod.UTC_HOUR),
        int(RollupPeriod.STORE_DAY),
    )
    bucket_cache: dict = {}
    for (at, agent, channel, counter), amount in facts.items():
        buckets = bucket_cache.get(at)
        if buckets is None:
            epoch = int(at.timestamp())
            buckets = (
                (quarter, _bucket_epoch(epoch, BUCKET_SECONDS)),
                (hour, _bucket_epoch(epoch, HOUR_SECONDS)),
                (day, int(day_start(at, rollup_tz).timestamp())),
            )
            bucket_cache[at] = buckets
        for period, bucket in buckets:
            for key in (
                (period, bucket, agent, channel),
                (period, bucket, agent, ALL_KEY),
                (period, bucket, ALL_KEY, channel),
                (period, bucket, ALL_KEY, ALL_KEY),
            ):
                row = deltas.get(key)
                if row is None:
                    row = deltas[key] = [0] * len(ROLLUP_COUNTERS)
                row[counter] += amount


def _rollup_timezone_hold() -> ZoneInfo:
    """The day rows' timezone, fixed by the first ingestion to the store's.

    Read FOR SHARE and held until the batch commits: a rebuild re-keying the days takes the
    table in EXCLUSIVE mode first, so it waits for batches in flight and they wait for it.
    """
    select = "SELECT name FROM analytics_rolluptimezone WHERE id = 1 FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(select)
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                "INSERT INTO analytics_rolluptimezone (id, name) VALUES (1, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [current_store_timezone().key],
            )
            cursor.execute(select)
            row = cursor.fetchone()
    return ZoneInfo(row[0])


_ROLLUP_COLUMNS = ", ".join(ROLLUP_COUNTERS)
_ROLLUP_UPSERT_SQL = f"""
INSERT INTO analytics_rollup (period, bucket, agent_id, channel_id, {_ROLLUP_COLUMNS})
SELECT period, to_timestamp(bucket), agent_id, channel_id, {_ROLLUP_COLUMNS} FROM unnest(
    %s::smallint[], %s::bigint[], %s::bigint[], %s::bigint[],
    {", ".join(["%s::bigint[]"] * len(ROLLUP_COUNTERS))}
) AS delta(period, bucket, agent_id, channel_id, {_ROLLUP_COLUMNS})
ON CONFLICT (agent_id, channel_id, period, bucket) DO UPDATE SET
{", ".join(f"{c} = analytics_rollup.{c} + EXCLUDED.{c}" for c in ROLLUP_COUNTERS)}
"""


def rollup_increment(*, deltas: dict) -> int:
    """Add the deltas to the rollups in one upsert; returns the number of rows touched.

    Rows go in key order so two concurrent batches lock shared rows in the same order.
    """
    keys = sorted(k for k, row in deltas.items() if any(row))
    if not keys:
        return 0
    key_columns = list(zip(*keys, strict=True))
    counter_columns = list(zip(*(deltas[key] for key in keys), strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            _ROLLUP_UPSERT_SQL,
            [pg_int_array(column) for column in (*key_columns, *counter_columns)],
        )
    return len(keys)


# --------------------------------------------------------------------------- ingestion


def _metadata_upsert(table: str, rows: dict, extra_columns: tuple[str, str]) -> dict[str, int]:
    """Create or update agents/channels by external id; → {external id: pk}."""
    if not rows:
        return {}
    ids = sorted(rows)
    first, second = extra_columns
    now = timezone.now()
    with connection.cursor() as cursor:
        # Empty metadata never erases what an earlier event said.
        cursor.execute(
            f"""
            INSERT INTO {table} (external_id, {first}, {second}, updated_at)
            SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::timestamptz[])
            ON CONFLICT (external_id) DO UPDATE SET
                {first} = COALESCE(NULLIF(EXCLUDED.{first}, ''), {table}.{first}),
                {second} = COALESCE(NULLIF(EXCLUDED.{second}, ''), {table}.{second}),
                updated_at = EXCLUDED.updated_at
            WHERE (NULLIF(EXCLUDED.{first}, '') IS NOT NULL
                   AND EXCLUDED.{first} IS DISTINCT FROM {table}.{first})
               OR (NULLIF(EXCLUDED.{second}, '') IS NOT NULL
                   AND EXCLUDED.{second} IS DISTINCT FROM {table}.{second})
            """,
            [
                pg_array(ids),
                pg_array(rows[i][0] for i in ids),
                pg_array(rows[i][1] for i in ids),
                pg_array([now] * len(ids)),
            ],
        )
        cursor.execute(
            f"SELECT external_id, id FROM {table} WHERE external_id = ANY(%s::text[])",
            [pg_array(ids)],
        )
        return dict(cursor.fetchall())


def _conversations_lock(external_ids: set[str]) -> dict[str, int]:
    ids = sorted(external_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO analytics_conversationstate (external_id, status)
            SELECT unnest(%s::text[]), %s
            ON CONFLICT (external_id) DO NOTHING
            """,
            [pg_array(ids), ConversationStatus.OPEN],
        )
        cursor.execute(
            """
            SELECT external_id, id FROM analytics_conversationstate
            WHERE external_id = ANY(%s::text[]) ORDER BY id FOR UPDATE
            """,
            [pg_array(ids)],
        )
        return dict(cursor.fetchall())


def _events_of_conversations(conversation_ids: list[int]) -> dict[int, list[StoredEvent]]:
    by_conversation: dict[int, list[StoredEvent]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conversation_id, event_id, type, occurred_at, agent_id, channel_id
            FROM analytics_event WHERE conversation_id = ANY(%s::bigint[])
            """,
            [pg_int_array(conversation_ids)],
        )
        for conversation_id, event_id, kind, at, agent_id, channel_id in cursor.fetchall():
            by_conversation[conversation_id].append(
                StoredEvent(event_id, kind, at, agent_id, channel_id)
            )
    return by_conversation


def _states_write(replays: dict[int, ConversationReplay]) -> None:
    if not replays:
        return
    ids = sorted(replays)
    values = [
        ids,
        [replays[i].channel_id for i in ids],
        [replays[i].status for i in ids],
        [replays[i].created_at for i in ids],
        [replays[i].first_reply_at for i in ids],
        [replays[i].assignee_id for i in ids],
        [replays[i].waiting_since for i in ids],
        [replays[i].last_event_at for i in ids],
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE analytics_conversationstate AS s SET
                channel_id = v.channel_id, status = v.status, created_at = v.created_at,
                first_reply_at = v.first_reply_at, assignee_id = v.assignee_id,
                waiting_since = v.waiting_since, last_event_at = v.last_event_at
            FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::timestamptz[],
                        %s::timestamptz[], %s::bigint[], %s::timestamptz[], %s::timestamptz[])
                 AS v(id, channel_id, status, created_at, first_reply_at, assignee_id,
                      waiting_since, last_event_at)
            WHERE s.id = v.id
            """,
            [pg_array(column) for column in values],
        )


def _latest_metadata(events: list[ParsedEvent]) -> tuple[dict, dict]:
    agents: dict[str, tuple[str, str]] = {}
    channels: dict[str, tuple[str, str]] = {}
    # Later events in the batch win; missing values keep the earlier ones.
    for event in events:
        old = channels.get(event.channel_id, ("", ""))
        channels[event.channel_id] = (event.channel_name or old[0], event.channel_type or old[1])
        if event.agent_id is not None:
            old = agents.get(event.agent_id, ("", ""))
            agents[event.agent_id] = (event.agent_name or old[0], event.agent_email or old[1])
    return agents, channels


@transaction.atomic
def analytics_events_ingest(*, events: list[dict]) -> IngestResult:
    """Record a batch of events (API JSON shape) and add them to the rollups at once.

    The whole batch is validated first; an invalid event raises AnalyticsError
    (code "invalid_events") and nothing is recorded. An event id seen before — in an earlier
    batch or earlier in this one — is skipped and counted in `duplicates`.
    """
    parsed = events_parse(events=events)
    rollup_tz = _rollup_timezone_hold()

    unique: dict[str, ParsedEvent] = {}
    for event in parsed:
        unique.setdefault(event.event_id, event)
    batch = list(unique.values())

    agent_rows, channel_rows = _latest_metadata(batch)
    agent_pks = _metadata_upsert("analytics_agent", agent_rows, ("name", "email"))
    channel_pks = _metadata_upsert("analytics_channel", channel_rows, ("name", "type"))
    conversation_pks = _conversations_lock({e.conversation_id for e in batch})

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO analytics_event
                (event_id, conversation_id, type, occurred_at, agent_id, channel_id)
            SELECT * FROM unnest(%s::text[], %s::bigint[], %s::smallint[], %s::timestamptz[],
                                 %s::bigint[], %s::bigint[])
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id, conversation_id
            """,
            [
                pg_array(e.event_id for e in batch),
                pg_int_array(conversation_pks[e.conversation_id] for e in batch),
                pg_int_array(int(e.type) for e in batch),
                pg_array(e.occurred_at for e in batch),
                pg_array(agent_pks[e.agent_id] if e.agent_id is not None else None for e in batch),
                pg_int_array(channel_pks[e.channel_id] for e in batch),
            ],
        )
        inserted = cursor.fetchall()

    new_event_ids = {event_id for event_id, _ in inserted}
    changed_conversations = sorted({conversation_id for _, conversation_id in inserted})
    deltas: dict = {}
    replays: dict[int, ConversationReplay] = {}
    for conversation_id, stored in _events_of_conversations(changed_conversations).items():
        before = [e for e in stored if e.event_id not in new_event_ids]
        replay_before = conversation_replay(before)
        replay_after = conversation_replay(stored)
        difference = _facts_difference(replay_after.facts, replay_before.facts)
        rollup_deltas_add(deltas, difference, rollup_tz)
        replays[conversation_id] = replay_after
    rollup_increment(deltas=deltas)
    _states_write(replays)

    accepted = len(new_event_ids)
    return IngestResult(accepted=accepted, duplicates=len(parsed) - accepted)


# --------------------------------------------------------------------------- rebuild


@dataclass(frozen=True)
class RebuildResult:
    conversations: int
    events: int
    rollup_rows: int


@transaction.atomic
def analytics_rollups_rebuild(*, chunk_size: int = 2000) -> RebuildResult:
    """Recompute every rollup row and conversation state from the recorded events.

    Idempotent: the rollups are emptied and refilled by the same replay ingestion uses, so
    running it twice (or after any sequence of deliveries) gives the same rows. Ingestion waits
    for it (the tables are locked), so no event is lost or counted twice meanwhile. The day rows
    are re-keyed to the store's current timezone.
    """
    rollup_tz = current_store_timezone()
    with connection.cursor() as cursor:
        # The timezone table first, as ingestion does: no batch is between its two locks.
        cursor.execute("LOCK TABLE analytics_rolluptimezone IN EXCLUSIVE MODE")
        cursor.execute(
            "LOCK TABLE analytics_rollup, analytics_conversationstate, analytics_event "
            "IN SHARE ROW EXCLUSIVE MODE"
        )
        cursor.execute(
            "INSERT INTO analytics_rolluptimezone (id, name) VALUES (1, %s) "
            "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name",
            [rollup_tz.key],
        )
        cursor.execute("DELETE FROM analytics_rollup")
        cursor.execute("SELECT id FROM analytics_conversationstate ORDER BY id")
        conversation_ids = [row[0] for row in cursor.fetchall()]
    events = 0
    for offset in range(0, len(conversation_ids), chunk_size):
        chunk = conversation_ids[offset : offset + chunk_size]
        deltas: dict = {}
        replays: dict[int, ConversationReplay] = {}
        stored_by_conversation = _events_of_conversations(chunk)
        for conversation_id in chunk:
            stored = stored_by_conversation.get(conversation_id, [])
            events += len(stored)
            replay = conversation_replay(stored)
            rollup_deltas_add(deltas, replay.facts, rollup_tz)
            replays[conversation_id] = replay
        rollup_increment(deltas=deltas)
        _states_write(replays)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_rollup")
        rows = cursor.fetchone()[0]
    return RebuildResult(conversations=len(conversation_ids), events=events, rollup_rows=rows)


# --------------------------------------------------------------------------- tokens


def ingestion_token_create(*, name: str, created_by_id: int | None = None):
    """A new ingestion token; the key is returned once and only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise AnalyticsError("Give the token a name.", code="name_required")
    key = IngestionToken.generate_key()
    token = IngestionToken.objects.create(
        name=name[:100],
        key_hash=IngestionToken.hash_key(key),
        key_prefix=key[:12],
        created_by_id=created_by_id,
    )
    return token, key


def ingestion_token_delete(*, token_id: int) -> None:
    deleted, _ = IngestionToken.objects.filter(pk=token_id).delete()
    if not deleted:
        raise NotFoundError("No such ingestion token.", code="token_not_found")


def ingestion_token_touch(*, token: IngestionToken) -> None:
    """Record use at most every five minutes, so ingestion does not write a row per request."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        IngestionToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
