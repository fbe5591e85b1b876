"""Reads of support analytics, always from the rollups (never from one row per event).

A range of local dates [start, end] in a timezone becomes [local midnight of start, local
midnight after end) in UTC — both on 15-minute boundaries (see models.BUCKET_SECONDS). Whole UTC
days inside it are read from the day rows and the two ragged ends from the 15-minute rows, so a
one-year summary sums ~365 + ~190 rows whatever the number of events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Q

from .models import (
    ALL_KEY,
    NONE_KEY,
    ROLLUP_COUNTERS,
    Agent,
    Channel,
    ConversationState,
    ConversationStatus,
    IngestionToken,
    RollupPeriod,
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


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant a local day starts. Where DST skips midnight (e.g. America/Santiago),
    fold=0 maps the missing 00:00 onto the transition instant, which is when that day starts."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


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


def _utc_day_floor(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _range_condition(start_utc: datetime, end_utc: datetime) -> tuple[str, dict]:
    """SQL selecting the day rows for whole UTC days and the quarter rows for the rest."""
    day_start = _utc_day_floor(start_utc)
    if day_start < start_utc:
        day_start += DAY
    day_end = _utc_day_floor(end_utc)
    params = {"start": start_utc, "end": end_utc, "quarter": int(RollupPeriod.QUARTER_HOUR)}
    if day_start >= day_end:
        return "(period = %(quarter)s AND bucket >= %(start)s AND bucket < %(end)s)", params
    params.update(day_start=day_start, day_end=day_end, day=int(RollupPeriod.UTC_DAY))
    sql = """(
        (period = %(day)s AND bucket >= %(day_start)s AND bucket < %(day_end)s)
        OR (period = %(quarter)s AND (
            (bucket >= %(start)s AND bucket < %(day_start)s)
            OR (bucket >= %(day_end)s AND bucket < %(end)s)))
    )"""
    return sql, params


_SUMS = ", ".join(f"COALESCE(SUM({c}), 0)" for c in ROLLUP_COUNTERS)


def _metrics_from_sums(sums) -> dict:
    values = dict(zip(ROLLUP_COUNTERS, (int(v) for v in sums), strict=True))
    metrics = {key: values[column] for key, column in COUNT_METRICS.items()}
    for key, (total, count) in AVERAGE_METRICS.items():
        metrics[key] = round(values[total] / values[count], 1) if values[count] else None
    return metrics


def rollup_totals(*, start_utc: datetime, end_utc: datetime, agent_key: int, channel_key: int):
    condition, params = _range_condition(start_utc, end_utc)
    params.update(agent=agent_key, channel=channel_key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {_SUMS} FROM analytics_rollup
            WHERE agent_id = %(agent)s AND channel_id = %(channel)s AND {condition}""",
            params,
        )
        return _metrics_from_sums(cursor.fetchone())


def live_counts(*, agent: Agent | None, channel: Channel | None) -> dict:
    """Open, unassigned and unattended conversations now (from the per-conversation state)."""
    open_conversations = ConversationState.objects.filter(status=ConversationStatus.OPEN)
    if agent is not None:
        open_conversations = open_conversations.filter(assignee=agent)
    if channel is not None:
        open_conversations = open_conversations.filter(channel=channel)
    return open_conversations.aggregate(
        open_now=Count("id"),
        unassigned_now=Count("id", filter=Q(assignee__isnull=True)),
        unattended_now=Count(
            "id", filter=Q(first_reply_at__isnull=True) | Q(waiting_since__isnull=False)
        ),
    )


def _key(obj) -> int:
    return obj.pk if obj is not None else ALL_KEY


def analytics_summary(
    *, period: Period, agent: Agent | None = None, channel: Channel | None = None
) -> dict:
    agent_key, channel_key = _key(agent), _key(channel)
    summary = rollup_totals(
        start_utc=period.start_utc,
        end_utc=period.end_utc,
        agent_key=agent_key,
        channel_key=channel_key,
    )
    summary.update(live_counts(agent=agent, channel=channel))
    previous = period.previous()
    summary["previous"] = {
        "start": previous.start.isoformat(),
        "end": previous.end.isoformat(),
        **rollup_totals(
            start_utc=previous.start_utc,
            end_utc=previous.end_utc,
            agent_key=agent_key,
            channel_key=channel_key,
        ),
    }
    return summary


def _series_starts(period: Period, interval: str) -> list[datetime]:
    """Bucket starts (aware, in the period's timezone) covering the period."""
    tz = period.tz
    if interval == "hour":
        # Local hours start on 15-minute UTC boundaries; step in UTC so DST days get 23 or 25.
        starts, moment = [], period.start_utc
        while moment < period.end_utc:
            starts.append(moment.astimezone(tz))
            moment += timedelta(hours=1)
        return starts
    if interval == "day":
        days = [period.start + timedelta(days=n) for n in range(period.days)]
    else:
        monday = period.start - timedelta(days=period.start.weekday())
        days = []
        while monday <= period.end:
            days.append(monday)
            monday += timedelta(days=7)
    return [local_midnight(day, tz).astimezone(tz) for day in days]


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
    if metric in COUNT_METRICS:
        columns = f"SUM({COUNT_METRICS[metric]}), SUM({COUNT_METRICS[metric]})"
    else:
        total, count = AVERAGE_METRICS[metric]
        columns = f"SUM({total}), SUM({count})"
    if interval == "hour":
        # The UTC instant the bucket's local hour starts: local minutes are 0, 15, 30 or 45.
        group = (
            "bucket - make_interval(mins => extract(minute FROM bucket AT TIME ZONE %(tz)s)::int)"
        )
    else:
        unit = "day" if interval == "day" else "week"
        group = f"date_trunc('{unit}', bucket AT TIME ZONE %(tz)s)::date"
    params = {
        "tz": period.tz.key,
        "agent": _key(agent),
        "channel": _key(channel),
        "period": int(RollupPeriod.QUARTER_HOUR),
        "start": period.start_utc,
        "end": period.end_utc,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {group} AS slot, {columns} FROM analytics_rollup
            WHERE agent_id = %(agent)s AND channel_id = %(channel)s AND period = %(period)s
              AND bucket >= %(start)s AND bucket < %(end)s
            GROUP BY slot""",
            params,
        )
        found = {slot: (int(value), int(count)) for slot, value, count in cursor.fetchall()}
    series = []
    for start in _series_starts(period, interval):
        slot = start.astimezone(UTC) if interval == "hour" else start.date()
        value, count = found.get(slot, (0, 0))
        if metric in AVERAGE_METRICS:
            value = round(value / count, 1) if count else 0
        series.append({"start": start.isoformat(), "value": value, "count": count})
    return series


def _breakdown(
    *, period: Period, group_column: str, other_column: str, other_key: int
) -> dict[int, dict]:
    condition, params = _range_condition(period.start_utc, period.end_utc)
    params.update(other=other_key, all=ALL_KEY, none=NONE_KEY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {group_column}, {_SUMS} FROM analytics_rollup
            WHERE {other_column} = %(other)s AND {group_column} NOT IN (%(all)s, %(none)s)
              AND {condition}
            GROUP BY {group_column}""",
            params,
        )
        return {row[0]: _metrics_from_sums(row[1:]) for row in cursor.fetchall()}


def _empty_metrics() -> dict:
    return _metrics_from_sums([0] * len(ROLLUP_COUNTERS))


def analytics_agents(*, period: Period, channel: Channel | None = None) -> list[dict]:
    """A row per known agent (also those without activity in the period), by name."""
    totals = _breakdown(
        period=period, group_column="agent_id", other_column="channel_id", other_key=_key(channel)
    )
    rows = []
    for agent in Agent.objects.all():
        metrics = totals.get(agent.pk) or _empty_metrics()
        rows.append({"id": agent.external_id, "name": agent.name, "email": agent.email, **metrics})
    return rows


def analytics_channels(*, period: Period, agent: Agent | None = None) -> list[dict]:
    totals = _breakdown(
        period=period, group_column="channel_id", other_column="agent_id", other_key=_key(agent)
    )
    rows = []
    for channel in Channel.objects.all():
        metrics = totals.get(channel.pk) or _empty_metrics()
        rows.append(
            {"id": channel.external_id, "name": channel.name, "type": channel.type, **metrics}
        )
    return rows


def ingestion_token_list():
    return IngestionToken.objects.all()
