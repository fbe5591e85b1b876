"""Support analytics: batch ingestion through the API, then one-year reads from the rollups
against the naive design (COUNT/AVG over a raw table holding one row per event).

    ANALYTICS_BENCH_EVENTS=1000000 .venv/bin/python -m tests.benchmarks analytics

The target size is 1,000,000 events (the default here is smaller so `make bench` stays short on
a 2-core machine; set ANALYTICS_BENCH_EVENTS for the full run). Reads are measured at 100,000
events and again at the full size, to show that the rollup read cost stays flat.
"""

import json
import os
import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tests.benchmarks.common import Row, gunicorn_server, load, median_ms, p95_ms, timed

TARGET_EVENTS = int(os.environ.get("ANALYTICS_BENCH_EVENTS", "300000"))
CHECKPOINT_EVENTS = 100_000
AGENTS = 50
CHANNELS = 8
CONVERSATIONS_PER_BATCH = 110  # about 830 events: every batch stays under the 1,000 limit
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
YEAR_SECONDS = 365 * 24 * 3600
TZ = "Asia/Kolkata"
READ_REPEAT = 60
SLUG = "analyticsbench"

CHANNEL_TYPES = ["whatsapp", "email", "web", "instagram", "facebook", "sms", "telegram", "api"]


def conversation_events(number: int, total_conversations: int) -> list[dict]:
    """A realistic conversation: created, customer and agent turns, assignment, close,
    sometimes reopened. Deterministic per conversation number."""
    rng = random.Random(number)
    start = YEAR_START + (number + rng.random()) * YEAR_SECONDS / total_conversations
    channel = rng.randrange(CHANNELS)
    agent = rng.randrange(AGENTS)
    conversation = {
        "id": f"conv-{number}",
        "channel": {
            "id": f"ch-{channel}",
            "name": f"Channel {channel}",
            "type": CHANNEL_TYPES[channel],
        },
    }
    agent_body = {"id": f"ag-{agent}", "name": f"Agent {agent}", "email": f"a{agent}@example.com"}
    moment = start
    events = []

    def add(kind, with_agent=False):
        body = {
            "id": f"evt-{number}-{len(events)}",
            "type": f"conversation.{kind}",
            "occurred_at": datetime.fromtimestamp(moment, UTC).isoformat(),
            "conversation": conversation,
        }
        if with_agent:
            body["agent"] = agent_body
        events.append(body)

    add("created")
    add("customer_replied")
    moment += rng.uniform(10, 600)
    add("assigned", True)
    for _ in range(rng.randint(1, 4)):
        moment += rng.uniform(30, 3600)
        add("agent_replied", True)
        if rng.random() < 0.6:
            moment += rng.uniform(30, 1800)
            add("customer_replied")
    moment += rng.uniform(60, 7200)
    add("closed", True)
    if rng.random() < 0.1:
        moment += rng.uniform(3600, 86400)
        add("reopened")
        add("customer_replied")
        moment += rng.uniform(60, 3600)
        add("agent_replied", True)
        add("closed", True)
    return events


def batch_body(index: int, total_conversations: int) -> bytes:
    first = index * CONVERSATIONS_PER_BATCH
    events = []
    for number in range(first, min(first + CONVERSATIONS_PER_BATCH, total_conversations)):
        events.extend(conversation_events(number, total_conversations))
    return json.dumps({"events": events}).encode()


def store_fresh():
    from django.db import connection

    from shared_apps.accounts.models import Seller
    from tenants.models import Store
    from tenants.services import store_create, store_delete

    connection.set_schema_to_public()
    old = Store.objects.filter(slug=SLUG).first()
    if old is not None:
        store_delete(store=old)
    owner = Seller.objects.filter(mobile="+919899000001").first()
    owner = owner or Seller.objects.create_user(mobile="+919899000001")
    return store_create(owner=owner, name="Analytics bench", slug=SLUG, timezone=TZ)


RAW_TABLE_SQL = """
DROP TABLE IF EXISTS bench_raw_events;
CREATE UNLOGGED TABLE bench_raw_events (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    value bigint,
    occurred_at timestamptz NOT NULL,
    agent_id bigint,
    channel_id bigint NOT NULL
);
"""
RAW_NAMES = {
    0: "conversation_created",
    1: "conversation_assigned",
    2: "conversation_closed",
    3: "conversation_reopened",
    4: "agent_reply",
    5: "customer_reply",
    6: "first_response",
    8: "resolution",
    10: "reply_time",
}


def raw_table_fill() -> int:
    """The naive design (Chatwoot's reporting_events): one row per event, plus one row per
    measured duration, computed by the same replay rules so both designs answer alike."""
    from django.db import connection

    from tenant_apps.analytics.replay import conversation_replay
    from tenant_apps.analytics.storage import events_of_conversations

    with connection.cursor() as cursor:
        cursor.execute(RAW_TABLE_SQL)
        cursor.execute("SELECT id FROM analytics_conversationstate ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
    rows = 0
    for offset in range(0, len(ids), 5000):
        names, values, times, agents, channels = [], [], [], [], []
        for events in events_of_conversations(ids[offset : offset + 5000]).values():
            facts = conversation_replay(events).facts
            for (at, agent, channel, counter), amount in facts.items():
                if counter in RAW_NAMES and counter not in (6, 8, 10):
                    for _ in range(amount):
                        names.append(RAW_NAMES[counter])
                        values.append(None)
                        times.append(at)
                        agents.append(agent or None)
                        channels.append(channel)
                elif counter in (6, 8, 10):
                    count = facts[(at, agent, channel, counter + 1)]
                    for _ in range(count):
                        names.append(RAW_NAMES[counter])
                        values.append(amount // count)
                        times.append(at)
                        agents.append(agent or None)
                        channels.append(channel)
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO bench_raw_events (name, value, occurred_at, agent_id, channel_id)
                SELECT * FROM unnest(%s::text[], %s::bigint[], %s::timestamptz[],
                                     %s::bigint[], %s::bigint[])""",
                [names, values, times, agents, channels],
            )
        rows += len(names)
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX ON bench_raw_events (occurred_at)")
        cursor.execute("ANALYZE bench_raw_events")
        # What autovacuum does in production after a bulk load: without it the partial index of
        # open conversations still points at every state row's first (open) version.
        for table in ("analytics_rollup", "analytics_conversationstate", "analytics_event"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return rows


NAIVE_SUMMARY_SQL = """
SELECT
  count(*) FILTER (WHERE name = 'conversation_created'),
  count(*) FILTER (WHERE name = 'conversation_assigned'),
  count(*) FILTER (WHERE name = 'conversation_closed'),
  count(*) FILTER (WHERE name = 'conversation_reopened'),
  count(*) FILTER (WHERE name = 'agent_reply'),
  count(*) FILTER (WHERE name = 'customer_reply'),
  avg(value) FILTER (WHERE name = 'first_response'),
  avg(value) FILTER (WHERE name = 'resolution'),
  avg(value) FILTER (WHERE name = 'reply_time')
FROM bench_raw_events WHERE occurred_at >= %s AND occurred_at < %s
"""
NAIVE_SERIES_SQL = """
SELECT date_trunc('day', occurred_at AT TIME ZONE %s)::date AS day, count(*)
FROM bench_raw_events
WHERE name = 'conversation_created' AND occurred_at >= %s AND occurred_at < %s
GROUP BY day ORDER BY day
"""


def reads_measure(size_label: str) -> list[Row]:
    from django.db import connection

    from tenant_apps.analytics.selectors import Period, analytics_summary, analytics_timeseries

    period = Period(date(2025, 1, 1), date(2025, 12, 31), ZoneInfo(TZ))
    previous = period.previous()

    def ours_summary():
        return analytics_summary(period=period)

    def ours_series():
        return analytics_timeseries(period=period, metric="conversations_created", interval="day")

    def naive_summary():
        with connection.cursor() as cursor:
            cursor.execute(NAIVE_SUMMARY_SQL, [period.start_utc, period.end_utc])
            current = cursor.fetchone()
            cursor.execute(NAIVE_SUMMARY_SQL, [previous.start_utc, previous.end_utc])
            return current, cursor.fetchone()

    def naive_series():
        with connection.cursor() as cursor:
            cursor.execute(NAIVE_SERIES_SQL, [TZ, period.start_utc, period.end_utc])
            return cursor.fetchall()

    # Both designs must give the same answers before their speed means anything.
    summary, (naive, _) = ours_summary(), naive_summary()
    assert summary["conversations_created"] == naive[0], (summary, naive)
    assert summary["agent_replies"] == naive[4], (summary, naive)
    assert (
        summary["avg_first_response_seconds"] == round(float(naive[6]), 1)
        or abs(summary["avg_first_response_seconds"] - float(naive[6])) < 1
    ), (summary, naive)
    series = [p["value"] for p in ours_series()]
    naive_days = dict(naive_series())
    assert sum(series) == sum(naive_days.values())

    for function in (ours_summary, ours_series, naive_summary, naive_series):
        timed(function, 3)  # warm caches
    ours_s, naive_s = timed(ours_summary, READ_REPEAT), timed(naive_summary, READ_REPEAT)
    ours_t, naive_t = timed(ours_series, READ_REPEAT), timed(naive_series, READ_REPEAT)
    size = size_label
    return [
        Row(f"summary 1 year p50 @ {size_label}", median_ms(ours_s), median_ms(naive_s), "ms"),
        Row(f"summary 1 year p95 @ {size_label}", p95_ms(ours_s), p95_ms(naive_s), "ms"),
        Row(
            f"timeseries day 1 year p50 @ {size_label}", median_ms(ours_t), median_ms(naive_t), "ms"
        ),
        Row(f"timeseries day 1 year p95 @ {size}", p95_ms(ours_t), p95_ms(naive_t), "ms"),
    ]


def ingest(port: int, host: str, key: str, first_batch: int, last_batch: int, total: int):
    return load(
        port=port,
        host=host,
        method="POST",
        path="/api/analytics/events",
        total=last_batch - first_batch,
        concurrency=3,
        headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
        body_for=lambda i: batch_body(first_batch + i, total),
    )


def run() -> list[Row]:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenant_apps.analytics.services import ingestion_token_create

    sizes = [("100k", CHECKPOINT_EVENTS)]
    if TARGET_EVENTS > CHECKPOINT_EVENTS:
        sizes.append(("full", TARGET_EVENTS))
    rows: list[Row] = []
    with gunicorn_server(workers=2) as port:
        for _label, target in sizes:
            # A fresh store each time; the conversations of either size span the whole year.
            store = store_fresh()
            host = store.get_primary_domain().domain
            with tenant_context(store):
                key = ingestion_token_create(name="bench")[1]
            connection.set_schema_to_public()
            conversations = max(1, round(target / 7.55))  # ~7.55 events per conversation
            batches = -(-conversations // CONVERSATIONS_PER_BATCH)
            result = ingest(port, host, key, 0, batches, conversations)
            assert result.ok == batches, result.statuses
            with tenant_context(store):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM analytics_event")
                    stored = cursor.fetchone()[0]
                raw_table_fill()
                rows.append(
                    Row(
                        f"ingest events/s, batch API, 3 clients @ {stored:,} events",
                        stored / result.seconds,
                        float("nan"),
                        "ev/s",
                        note=f"{result.seconds:.0f} s, batch p95 {result.percentile(95):.0f} ms",
                    )
                )
                rows.extend(reads_measure(f"{stored:,} events"))
            connection.set_schema_to_public()
    return rows
