"""The SQL of ingestion and rebuild: each step is one statement over arrays (unnest), never a
row at a time. Callers own the transaction.

Rollup rows are keyed (period, bucket start, agent key, channel key); a fact is written at three
periods (quarter hour, UTC hour, day of the rollup timezone) and four keys ((agent, channel),
(agent, all), (all, channel), (all, all)), and added with one upsert that adds
(`INSERT … ON CONFLICT … DO UPDATE SET n = t.n + EXCLUDED.n`).
"""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from saas.access.timezone import current_store_timezone
from saas.db import pg_array, pg_int_array

from .events import ParsedEvent
from .models import (
    ALL_KEY,
    BUCKET_SECONDS,
    HOUR_SECONDS,
    ROLLUP_COUNTERS,
    ConversationStatus,
    RollupPeriod,
    day_start,
)
from .replay import ConversationReplay, StoredEvent

# --------------------------------------------------------------------------- rollups


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


def rollup_timezone_hold() -> ZoneInfo:
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


# --------------------------------------------------------------------------- agents, channels


def latest_metadata(events: list[ParsedEvent]) -> tuple[dict, dict]:
    """({agent id: (name, email)}, {channel id: (name, type)}) as the batch last says them."""
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


def metadata_upsert(table: str, rows: dict, extra_columns: tuple[str, str]) -> dict[str, int]:
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


# --------------------------------------------------------------------------- conversations


def conversations_lock(external_ids: set[str]) -> dict[str, int]:
    """Create the missing state rows and lock them all, in id order; → {external id: pk}.

    Concurrent batches for one conversation wait for each other, so a difference is never
    computed twice from the same state.
    """
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


def events_insert(
    events: list[ParsedEvent], *, conversation_pks: dict, agent_pks: dict, channel_pks: dict
) -> list[tuple[str, int]]:
    """Record the events, skipping ids seen before; → [(event id, conversation pk)] inserted."""
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
                pg_array(e.event_id for e in events),
                pg_int_array(conversation_pks[e.conversation_id] for e in events),
                pg_int_array(int(e.type) for e in events),
                pg_array(e.occurred_at for e in events),
                pg_array(agent_pks[e.agent_id] if e.agent_id is not None else None for e in events),
                pg_int_array(channel_pks[e.channel_id] for e in events),
            ],
        )
        return cursor.fetchall()


def events_of_conversations(conversation_ids: list[int]) -> dict[int, list[StoredEvent]]:
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


def states_write(replays: dict[int, ConversationReplay]) -> None:
    """Store each replayed conversation's state on its row (keyed by pk)."""
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


# --------------------------------------------------------------------------- rebuild


def rollups_clear_for_rebuild(rollup_tz: ZoneInfo) -> list[int]:
    """Lock out ingestion, re-key the day rows to `rollup_tz`, empty the rollups; → the pks of
    every conversation, in order. The locks hold until the caller's transaction ends."""
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
        return [row[0] for row in cursor.fetchall()]


def rollup_row_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_rollup")
        return cursor.fetchone()[0]
