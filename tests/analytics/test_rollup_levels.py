"""The three rollup levels: hour and UTC-day rows always equal the sums of their quarter hours,
and a read that mixes levels gives exactly what quarter hours alone would give, in any zone."""

import importlib
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tenant_apps.analytics.models import ALL_KEY, ROLLUP_COUNTERS, Rollup, RollupPeriod
from tenant_apps.analytics.selectors import (
    Period,
    analytics_summary,
    analytics_timeseries,
    rollup_ranges,
)
from tenant_apps.analytics.services import analytics_events_ingest
from tests.analytics.conftest import event
from tests.conftest import in_store

QUARTER, HOUR, DAY = 900, 3600, 86400
SIZES = {RollupPeriod.QUARTER_HOUR: QUARTER, RollupPeriod.UTC_HOUR: HOUR, RollupPeriod.UTC_DAY: DAY}
FIRST_DAY = datetime(2026, 10, 28, tzinfo=UTC)


def test_a_kolkata_year_is_read_as_days_hours_and_four_quarter_hours():
    # 2025 in Asia/Kolkata: 2024-12-31 18:30Z to 2025-12-31 18:30Z.
    start = int(datetime(2024, 12, 31, 18, 30, tzinfo=UTC).timestamp())
    end = int(datetime(2025, 12, 31, 18, 30, tzinfo=UTC).timestamp())
    day = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    last_day = int(datetime(2025, 12, 31, tzinfo=UTC).timestamp())
    assert rollup_ranges(start, end) == [
        (RollupPeriod.QUARTER_HOUR, start, start + 1800),  # 18:30-19:00
        (RollupPeriod.UTC_HOUR, start + 1800, day),  # 19:00-24:00
        (RollupPeriod.UTC_DAY, day, last_day),  # 364 whole UTC days
        (RollupPeriod.UTC_HOUR, last_day, last_day + 18 * HOUR),  # 00:00-18:00
        (RollupPeriod.QUARTER_HOUR, last_day + 18 * HOUR, end),  # 18:00-18:30
    ]


def test_a_range_inside_one_hour_is_read_from_quarter_hours_only():
    start = int(datetime(2026, 11, 2, 10, 15, tzinfo=UTC).timestamp())
    assert rollup_ranges(start, start + 1800) == [(RollupPeriod.QUARTER_HOUR, start, start + 1800)]
    assert rollup_ranges(start, start) == []


quarter_instants = st.integers(min_value=0, max_value=4 * 366 * 96).map(
    lambda n: 1_735_689_600 + n * QUARTER
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(quarter_instants, quarter_instants)
def test_pieces_tile_the_range_exactly_and_are_aligned(first, second):
    start, end = min(first, second), max(first, second)
    pieces = rollup_ranges(start, end)

    moment = start
    for period, piece_start, piece_end in pieces:
        assert piece_start == moment and piece_end > piece_start
        size = SIZES[period]
        assert piece_start % size == 0 and piece_end % size == 0
        moment = piece_end
    assert moment == end
    # Coarse first: at most one run of days, two of hours and two of quarter hours.
    periods = [period for period, _, _ in pieces]
    assert periods.count(RollupPeriod.UTC_DAY) <= 1
    assert periods.count(RollupPeriod.UTC_HOUR) <= 2
    assert periods.count(RollupPeriod.QUARTER_HOUR) <= 2


def spread_events(conversations: int, seed: int) -> list[dict]:
    """Conversations over ten days at random quarter-hour-unaligned moments."""
    rng = random.Random(seed)
    events = []
    for n in range(conversations):
        begin = FIRST_DAY + timedelta(seconds=rng.randrange(10 * DAY))
        c, channel, agent = f"s{n}", f"ch{n % 3}", rng.choice(["asha", "ravi", "mina"])

        def at(seconds, begin=begin):
            return (begin + timedelta(seconds=seconds)).isoformat()

        events.append(event("created", at(0), conversation=c, channel=channel))
        events.append(event("customer_replied", at(1), conversation=c, channel=channel))
        events.append(event("assigned", at(60), conversation=c, channel=channel, agent=agent))
        moment = 60
        for _ in range(rng.randint(1, 3)):
            moment += rng.randint(60, 3 * HOUR)
            events.append(
                event("agent_replied", at(moment), conversation=c, channel=channel, agent=agent)
            )
            moment += rng.randint(60, HOUR)
            events.append(event("customer_replied", at(moment), conversation=c, channel=channel))
        if rng.random() < 0.7:
            moment += rng.randint(60, 5 * HOUR)
            events.append(event("closed", at(moment), conversation=c, channel=channel))
    return events


def coarse_rows_from_quarters(size: int) -> dict:
    """{(bucket epoch, agent, channel): counters} summed from the quarter-hour rows."""
    sums: dict = defaultdict(lambda: [0] * len(ROLLUP_COUNTERS))
    for row in Rollup.objects.filter(period=RollupPeriod.QUARTER_HOUR).values():
        epoch = int(row["bucket"].timestamp())
        key = (epoch - epoch % size, row["agent_id"], row["channel_id"])
        for index, column in enumerate(ROLLUP_COUNTERS):
            sums[key][index] += row[column]
    return {key: tuple(values) for key, values in sums.items() if any(values)}


def stored_rows(period: int) -> dict:
    return {
        (int(row["bucket"].timestamp()), row["agent_id"], row["channel_id"]): tuple(
            row[column] for column in ROLLUP_COUNTERS
        )
        for row in Rollup.objects.filter(period=period).values()
        if any(row[column] for column in ROLLUP_COUNTERS)
    }


def test_hour_and_day_rows_are_the_sums_of_their_quarter_hours(store_a):
    events = spread_events(60, seed=11)
    shuffled = list(events)
    random.Random(5).shuffle(shuffled)  # late events subtract from coarse rows too
    with in_store(store_a):
        for start in range(0, len(shuffled), 40):
            analytics_events_ingest(events=shuffled[start : start + 40])
        hours = stored_rows(RollupPeriod.UTC_HOUR)
        days = stored_rows(RollupPeriod.UTC_DAY)
        assert len(hours) > 200
        assert hours == coarse_rows_from_quarters(HOUR)
        assert days == coarse_rows_from_quarters(DAY)


def test_the_migration_backfills_hour_rows_from_quarter_hours(store_a):
    migration = importlib.import_module("tenant_apps.analytics.migrations.0002_rollup_hour_level")
    with in_store(store_a):
        analytics_events_ingest(events=spread_events(30, seed=2))
        ingested = stored_rows(RollupPeriod.UTC_HOUR)
        Rollup.objects.filter(period=RollupPeriod.UTC_HOUR).delete()
        with connection.cursor() as cursor:
            cursor.execute(migration.BACKFILL_HOUR_ROWS)
        assert len(ingested) > 100
        assert stored_rows(RollupPeriod.UTC_HOUR) == ingested


ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "UTC", "Australia/Lord_Howe"]


def quarter_only_sums(start: datetime, end: datetime) -> dict:
    """Counters of the (all, all) key over [start, end) from quarter-hour rows alone."""
    rows = Rollup.objects.filter(
        period=RollupPeriod.QUARTER_HOUR,
        agent_id=ALL_KEY,
        channel_id=ALL_KEY,
        bucket__gte=start,
        bucket__lt=end,
    ).values(*ROLLUP_COUNTERS)
    return {column: sum(row[column] for row in rows) for column in ROLLUP_COUNTERS}


def test_reads_mixing_levels_equal_quarter_hours_alone_in_any_zone(store_a):
    with in_store(store_a):
        analytics_events_ingest(events=spread_events(80, seed=23))
        rng = random.Random(9)
        for zone_name in ZONES:
            tz = ZoneInfo(zone_name)
            first = date(2026, 10, 27) + timedelta(days=rng.randrange(4))
            period = Period(first, first + timedelta(days=rng.randrange(2, 9)), tz)
            expected = quarter_only_sums(period.start_utc, period.end_utc)
            summary = analytics_summary(period=period)
            assert summary["conversations_created"] == expected["conversations_created"] > 0
            assert summary["agent_replies"] == expected["agent_replies"]
            assert summary["customer_replies"] == expected["customer_replies"]
            assert summary["avg_first_response_seconds"] == round(
                expected["first_response_seconds_sum"] / expected["first_response_count"], 1
            )

            for interval in ("hour", "day", "week"):
                series = analytics_timeseries(
                    period=period, metric="agent_replies", interval=interval
                )
                bounds = [datetime.fromisoformat(point["start"]) for point in series]
                bounds[0] = max(bounds[0], period.start_utc)  # a week may start before
                bounds.append(period.end_utc)
                for point, start, end in zip(series, bounds, bounds[1:], strict=False):
                    expected_value = quarter_only_sums(start, end)["agent_replies"]
                    assert point["value"] == expected_value, (zone_name, interval, point)
                assert sum(p["value"] for p in series) == summary["agent_replies"]
