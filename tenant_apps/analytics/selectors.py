"""Reads of support analytics, always from the rollups (never from one row per event).

A range of local dates [start, end] in a timezone becomes [local midnight of start, local
midnight after end) in UTC — both on 15-minute boundaries (see models.BUCKET_SECONDS). The whole
days of the store's rollup timezone inside it are read from the day rows, whole UTC hours at its
ends from the hour rows and what is left from the 15-minute rows (`rollup_ranges`). In the
store's timezone a one-year summary sums 365 rows and a one-year daily series one row a day; in
another zone about 24 hour rows (plus 4 quarters in Asia/Kolkata) a day — whatever the number of
events. A summary or a whole series is one statement (`rollup_sums`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from saas.access.timezone import current_store_timezone
from saas.db import pg_int_array

from .errors import AnalyticsError, AnalyticsErrorCode
from .models import (
    ALL_KEY,
    HOUR_SECONDS,
    ROLLUP_COUNTERS,
    Agent,
    Channel,
    ConversationStatus,
    IngestionToken,
    RollupPeriod,
    day_start_epoch,
    local_midnight,
)

COUNT_METRICS = {
    "conversations_created": "conversations_created",
    "conversations_assigned": "conversations_assigned",
    "conversations_closed": "conversations_closed",
    "conversations_reopened": "conversations_reopened",
    "agent_replies": "agent_replies",
    "customer_replies": "customer_replies",
}
# average key -> (sum column, count column): averages are SUM(sum) / SUM(count).
AVERAGE_METRICS = {
    "avg_first_response_seconds": ("first_response_seconds_sum", "first_response_count"),
    "avg_resolution_seconds": ("resolution_seconds_sum", "resolution_count"),
    "avg_reply_seconds": ("reply_seconds_sum", "reply_count"),
}
SERIES_METRICS = (*COUNT_METRICS, *AVERAGE_METRICS)
INTERVALS = ("hour", "day", "week")
DAY = timedelta(days=1)
MAX_RANGE_DAYS = 3 * 366
MAX_SERIES_POINTS = 10_000


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    tz: ZoneInfo

    @property
    def start_utc(self) -> datetime:
        return local_midnight(self.start, self.tz)

    @property
    def end_utc(self) -> datetime:
        return local_midnight(self.end + DAY, self.tz)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The equal-length period (in local days) just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - DAY, self.tz)


# --------------------------------------------------------------------------- read filters


def analytics_period(
    *, start: date | None = None, end: date | None = None, tz: str | None = None
) -> Period:
    """The local dates a read covers: `end` defaults to today, `start` to 29 days before
    `end`, `tz` (an IANA name) to the store's timezone."""
    zone = ZoneInfo(tz) if tz else current_store_timezone()
    end = end or timezone.now().astimezone(zone).date()
    start = start or end - timedelta(days=29)
    if start > end:
        raise AnalyticsError("start must not be after end.", code=AnalyticsErrorCode.INVALID_RANGE)
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise AnalyticsError(
            f"A range holds at most {MAX_RANGE_DAYS} days.", code=AnalyticsErrorCode.RANGE_TOO_LONG
        )
    return Period(start, end, zone)


def _filter_row(model, external_id: str | None, code: AnalyticsErrorCode):
    if external_id is None:
        return None
    found = model.objects.filter(external_id=external_id).first()
    if found is None:
        noun = model.__name__.lower()
        raise AnalyticsError(f"No {noun} with id {external_id!r} has sent events yet.", code=code)
    return found


def analytics_filters(
    *,
    start: date | None = None,
    end: date | None = None,
    tz: str | None = None,
    agent: str | None = None,
    channel: str | None = None,
    **options,
) -> dict:
    """A read's query as the read selectors' arguments: its `period`, and the `agent` and
    `channel` rows it names by their ids in events (None = all); other options pass through."""
    return {
        "period": analytics_period(start=start, end=end, tz=tz),
        "agent": _filter_row(Agent, agent, AnalyticsErrorCode.UNKNOWN_AGENT),
        "channel": _filter_row(Channel, channel, AnalyticsErrorCode.UNKNOWN_CHANNEL),
        **options,
    }


def rollup_timezone() -> ZoneInfo:
    """The timezone of the day rows (see models.RollupTimezone); before any ingestion, the
    store's own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM analytics_rolluptimezone WHERE id = 1")
        row = cursor.fetchone()
    return ZoneInfo(row[0]) if row else current_store_timezone()


def _hours_and_quarters(start: int, end: int) -> list[tuple[int, int, int]]:
    """[start, end) in epoch seconds (both on quarter hours) as whole UTC hours with quarter
    hours at either end."""
    if start >= end:
        return []
    hours_start = -(-start // HOUR_SECONDS) * HOUR_SECONDS
    hours_end = end // HOUR_SECONDS * HOUR_SECONDS
    if hours_start >= hours_end:
        return [(RollupPeriod.QUARTER_HOUR, start, end)]
    pieces = [(RollupPeriod.UTC_HOUR, hours_start, hours_end)]
    if start < hours_start:
        pieces.insert(0, (RollupPeriod.QUARTER_HOUR, start, hours_start))
    if hours_end < end:
        pieces.append((RollupPeriod.QUARTER_HOUR, hours_end, end))
    return pieces


def rollup_ranges(start: int, end: int, rollup_tz: ZoneInfo) -> list[tuple[int, int, int]]:
    """[start, end) in epoch seconds (both on quarter hours) as (period, from, to) pieces.

    The whole days of the rollup timezone inside the range come from day rows, the whole UTC
    hours left at either end from hour rows, and the quarter hours left after that from quarter
    rows — so each piece is a contiguous run of rows of one period, and every quarter hour of
    the range is counted exactly once. A range that is one local day of the rollup timezone is
    a single day row.
    """
    days_start = day_start_epoch(start, rollup_tz)
    if days_start < start:
        # Local days last 23 to 25 hours: 36 hours on is inside the next one.
        days_start = day_start_epoch(days_start + 36 * HOUR_SECONDS, rollup_tz)
    days_end = day_start_epoch(end, rollup_tz)
    if days_start >= days_end:
        return _hours_and_quarters(start, end)
    return [
        *_hours_and_quarters(start, days_start),
        (RollupPeriod.STORE_DAY, days_start, days_end),
        *_hours_and_quarters(days_end, end),
    ]


# One statement serves every read: for each piece of each slot (a period, a series bucket) and
# each wanted key, the sums of one contiguous run of rollup rows. The LATERAL aggregate keeps the
# plan to one index range scan of analytics_rollup_key (agent_id, channel_id, period, bucket)
# per (piece, key): a join would let the planner hash every row of a key for a long series.
_SUMS_SQL = """
SELECT {group}, {outer_sums}
FROM unnest(%(slots)s::int[], %(periods)s::smallint[], %(froms)s::bigint[], %(tos)s::bigint[])
        AS piece(slot, period, from_epoch, to_epoch)
    CROSS JOIN unnest(%(agents)s::bigint[]) AS agent(id)
    CROSS JOIN unnest(%(channels)s::bigint[]) AS channel(id)
    CROSS JOIN LATERAL (
        SELECT {inner_sums} FROM analytics_rollup
        WHERE agent_id = agent.id AND channel_id = channel.id AND period = piece.period
          AND bucket >= to_timestamp(piece.from_epoch) AND bucket < to_timestamp(piece.to_epoch)
    ) AS run
GROUP BY {group}
"""


def rollup_sums(
    *,
    slots: list[tuple[datetime, datetime]],
    agent_keys: list[int],
    channel_keys: list[int],
    columns: tuple[str, ...] = ROLLUP_COUNTERS,
    group: str = "slot",
) -> dict[int, tuple[int, ...]]:
    """Sums of `columns` for each [start, end) slot (group="slot", keyed by slot index) or for
    each agent / channel key over all slots (group="agent" / "channel"). Absent = all zero."""
    rollup_tz = rollup_timezone()
    params: dict = {"slots": [], "periods": [], "froms": [], "tos": []}
    for index, (start, end) in enumerate(slots):
        pieces = rollup_ranges(int(start.timestamp()), int(end.timestamp()), rollup_tz)
        for period, piece_from, piece_to in pieces:
            params["slots"].append(index)
            params["periods"].append(int(period))
            params["froms"].append(piece_from)
            params["tos"].append(piece_to)
    params = {name: pg_int_array(values) for name, values in params.items()}
    params.update(agents=pg_int_array(agent_keys), channels=pg_int_array(channel_keys))
    group_column = {"slot": "piece.slot", "agent": "agent.id", "channel": "channel.id"}[group]
    sql = _SUMS_SQL.format(
        group=group_column,
        inner_sums=", ".join(f"SUM({column}) AS {column}" for column in columns),
        outer_sums=", ".join(f"COALESCE(SUM(run.{column}), 0)" for column in columns),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: tuple(int(value) for value in row[1:]) for row in cursor.fetchall()}


def _metrics_from_sums(sums) -> dict:
    values = dict(zip(ROLLUP_COUNTERS, sums, strict=True))
    metrics = {key: values[column] for key, column in COUNT_METRICS.items()}
    for key, (total, count) in AVERAGE_METRICS.items():
        metrics[key] = round(values[total] / values[count], 1) if values[count] else None
    return metrics


_NO_SUMS = (0,) * len(ROLLUP_COUNTERS)


def live_counts(*, agent: Agent | None, channel: Channel | None) -> dict:
    """Open, unassigned and unattended conversations now (from the per-conversation state).

    Plain SQL over the partial index of open conversations: it is on every summary, and the
    ORM took longer to build this aggregate than PostgreSQL takes to answer it.
    """
    sql = """
        SELECT count(*), count(*) FILTER (WHERE assignee_id IS NULL),
               count(*) FILTER (WHERE first_reply_at IS NULL OR waiting_since IS NOT NULL)
        FROM analytics_conversationstate WHERE status = %s"""
    params: list = [ConversationStatus.OPEN.value]
    if agent is not None:
        sql += " AND assignee_id = %s"
        params.append(agent.pk)
    if channel is not None:
        sql += " AND channel_id = %s"
        params.append(channel.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        open_now, unassigned_now, unattended_now = cursor.fetchone()
    return {
        "open_now": open_now,
        "unassigned_now": unassigned_now,
        "unattended_now": unattended_now,
    }


def _key(obj) -> int:
    return obj.pk if obj is not None else ALL_KEY


def analytics_summary(
    *, period: Period, agent: Agent | None = None, channel: Channel | None = None
) -> dict:
    previous = period.previous()
    sums = rollup_sums(
        slots=[(period.start_utc, period.end_utc), (previous.start_utc, previous.end_utc)],
        agent_keys=[_key(agent)],
        channel_keys=[_key(channel)],
    )
    summary = _metrics_from_sums(sums.get(0, _NO_SUMS))
    summary.update(live_counts(agent=agent, channel=channel))
    summary["previous"] = {
        "start": previous.start.isoformat(),
        "end": previous.end.isoformat(),
        **_metrics_from_sums(sums.get(1, _NO_SUMS)),
    }
    return summary


def _series_slots(period: Period, interval: str) -> list[tuple[datetime, datetime]]:
    """The [start, end) UTC instants of each bucket of the series, in order."""
    start_utc, end_utc = period.start_utc, period.end_utc
    if interval == "hour":
        # Local hours start on 15-minute UTC boundaries; step in UTC so DST days get 23 or 25.
        starts, moment = [], start_utc
        while moment < end_utc:
            starts.append(moment)
            moment += timedelta(hours=1)
    elif interval == "day":
        days = [period.start + timedelta(days=n) for n in range(period.days + 1)]
        starts = [local_midnight(day, period.tz) for day in days][:-1]
    else:
        monday = period.start - timedelta(days=period.start.weekday())
        starts = []
        while monday <= period.end:
            starts.append(max(local_midnight(monday, period.tz), start_utc))
            monday += timedelta(days=7)
    ends = [*starts[1:], end_utc]
    return list(zip(starts, ends, strict=True))


def _series_label(slot_start: datetime, period: Period, interval: str) -> str:
    if interval == "week":
        # A week is labelled by its Monday even when the period starts later in that week.
        day = slot_start.astimezone(period.tz).date()
        slot_start = local_midnight(day - timedelta(days=day.weekday()), period.tz)
    return slot_start.astimezone(period.tz).isoformat()


def analytics_timeseries(
    *,
    period: Period,
    metric: str,
    interval: str,
    agent: Agent | None = None,
    channel: Channel | None = None,
) -> list[dict]:
    """[{"start", "value", "count"}] with every bucket of the period, empty ones as 0.

    Weeks start on Monday and are labelled by their Monday; only the part of a week inside the
    period is counted.
    """
    hours = (period.end_utc - period.start_utc).total_seconds() / 3600
    if interval == "hour" and hours > MAX_SERIES_POINTS:
        raise AnalyticsError(
            f"An hourly series holds at most {MAX_SERIES_POINTS} points.",
            code=AnalyticsErrorCode.RANGE_TOO_LONG,
        )
    columns = (COUNT_METRICS[metric],) if metric in COUNT_METRICS else AVERAGE_METRICS[metric]
    slots = _series_slots(period, interval)
    found = rollup_sums(
        slots=slots, agent_keys=[_key(agent)], channel_keys=[_key(channel)], columns=columns
    )
    series = []
    for index, (slot_start, _end) in enumerate(slots):
        sums = found.get(index)
        if metric in COUNT_METRICS:
            value = count = sums[0] if sums else 0
        else:
            total, count = sums if sums else (0, 0)
            value = round(total / count, 1) if count else 0
        start = _series_label(slot_start, period, interval)
        series.append({"start": start, "value": value, "count": count})
    return series


def _breakdown_rows(*, period: Period, group: str, rows, fields: tuple, other_key: int):
    """One row per agent (group="agent") or channel of `rows`, in their order, with its metrics
    over the period, restricted to the `other_key` channel (or agent); ALL_KEY for all."""
    rows = list(rows)
    keys = [row.pk for row in rows]
    found = rollup_sums(
        slots=[(period.start_utc, period.end_utc)],
        agent_keys=keys if group == "agent" else [other_key],
        channel_keys=[other_key] if group == "agent" else keys,
        group=group,
    )
    return [
        {
            "id": row.external_id,
            **{field: getattr(row, field) for field in fields},
            **_metrics_from_sums(found.get(row.pk, _NO_SUMS)),
        }
        for row in rows
    ]


def breakdown_columns(group: str) -> list[str]:
    """The columns of the agent or channel rows, for a CSV with no rows (its header only)."""
    fields = ("name", "email") if group == "agent" else ("name", "type")
    return ["id", *fields, *_metrics_from_sums(_NO_SUMS)]


def analytics_agents(
    *, period: Period, agent: Agent | None = None, channel: Channel | None = None
) -> list[dict]:
    """A row per known agent (also those without activity in the period), by name; only
    `agent`'s row when given. With `channel`, the metrics count that channel only."""
    agents = Agent.objects.all() if agent is None else Agent.objects.filter(pk=agent.pk)
    return _breakdown_rows(
        period=period, group="agent", rows=agents, fields=("name", "email"), other_key=_key(channel)
    )


def analytics_channels(
    *, period: Period, agent: Agent | None = None, channel: Channel | None = None
) -> list[dict]:
    """A row per known channel, by name; only `channel`'s row when given. With `agent`, the
    metrics count that agent's work only."""
    channels = Channel.objects.all() if channel is None else Channel.objects.filter(pk=channel.pk)
    return _breakdown_rows(
        period=period,
        group="channel",
        rows=channels,
        fields=("name", "type"),
        other_key=_key(agent),
    )


def ingestion_token_list():
    return IngestionToken.objects.all()
