"""The three rollup levels: hour and UTC-day rows always equal the sums of their quarter hours,
and a read that mixes levels gives exactly what quarter hours alone would give, in any zone."""

import importlib
import io
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tenant_apps.analytics.models import (
    ALL_KEY,
    ROLLUP_COUNTERS,
    Rollup,
    RollupPeriod,
    RollupTimezone,
    day_start,
)
from tenant_apps.analytics.selectors import (
    Period,
    analytics_summary,
    analytics_timeseries,
    rollup_ranges,
)
from tenant_apps.analytics.services import analytics_events_ingest
from tests.support.analytics import event
from tests.support.stores import in_store

QUARTER, HOUR, DAY = 900, 3600, 86400
FIRST_DAY = datetime(2026, 10, 28, tzinfo=UTC)
KOLKATA = ZoneInfo("Asia/Kolkata")
ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "UTC", "Australia/Lord_Howe"]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def epoch(*args) -> int:
    return int(utc(*args).timestamp())


def test_a_year_in_the_rollup_timezone_is_one_run_of_day_rows():
    # 2025 in Asia/Kolkata: 2024-12-31 18:30Z to 2025-12-31 18:30Z.
    start, end = epoch(2024, 12, 31, 18, 30), epoch(2025, 12, 31, 18, 30)
    assert rollup_ranges(start, end, KOLKATA) == [
        (RollupPeriod.STORE_DAY, epoch(2024, 12, 31, 18, 30), epoch(2025, 12, 31, 18, 30))
    ]


def test_a_kolkata_year_over_utc_days_is_days_hours_and_four_quarter_hours():
    start, end = epoch(2024, 12, 31, 18, 30), epoch(2025, 12, 31, 18, 30)
    assert rollup_ranges(start, end, ZoneInfo("UTC")) == [
        (RollupPeriod.QUARTER_HOUR, epoch(2024, 12, 31, 18, 30), epoch(2024, 12, 31, 19)),
        (RollupPeriod.UTC_HOUR, epoch(2024, 12, 31, 19), epoch(2025, 1, 1)),
        (RollupPeriod.STORE_DAY, epoch(2025, 1, 1), epoch(2025, 12, 31)),  # 364 whole days
        (RollupPeriod.UTC_HOUR, epoch(2025, 12, 31), epoch(2025, 12, 31, 18)),
        (RollupPeriod.QUARTER_HOUR, epoch(2025, 12, 31, 18), epoch(2025, 12, 31, 18, 30)),
    ]


def test_a_range_inside_one_hour_is_read_from_quarter_hours_only():
    start = epoch(2026, 11, 2, 10, 15)
    assert rollup_ranges(start, start + 1800, KOLKATA) == [
        (RollupPeriod.QUARTER_HOUR, epoch(2026, 11, 2, 10, 15), epoch(2026, 11, 2, 10, 45))
    ]
    assert rollup_ranges(start, start, KOLKATA) == []


quarter_instants = st.integers(min_value=0, max_value=4 * 366 * 96).map(
    lambda n: 1_735_689_600 + n * QUARTER
)


@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)  # same cases in CI
@given(quarter_instants, quarter_instants, st.sampled_from(ZONES))
def test_pieces_tile_the_range_exactly_and_are_aligned(first, second, zone_name):
    tz = ZoneInfo(zone_name)
    start, end = min(first, second), max(first, second)
    pieces = rollup_ranges(start, end, tz)

    moment = start
    for period, piece_start, piece_end in pieces:
        assert piece_start == moment and piece_end > piece_start
        if period == RollupPeriod.STORE_DAY:
            for instant in (piece_start, piece_end):
                local = datetime.fromtimestamp(instant, UTC)
                assert day_start(local, tz) == local  # a local midnight of the rollup zone
        else:
            size = HOUR if period == RollupPeriod.UTC_HOUR else QUARTER
            assert piece_start % size == 0 and piece_end % size == 0
        moment = piece_end
    assert moment == end
    # Coarse first: at most one run of days; on either side of it at most one run of hours
    # with a run of quarter hours on each side (a Kolkata day starts at 18:30 UTC).
    periods = [period for period, _, _ in pieces]
    assert periods.count(RollupPeriod.STORE_DAY) <= 1
    assert periods.count(RollupPeriod.UTC_HOUR) <= 2
    assert periods.count(RollupPeriod.QUARTER_HOUR) <= 4


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


def coarse_rows_from_quarters(bucket_of) -> dict:
    """{(bucket epoch, agent, channel): counters} summed from the quarter-hour rows."""
    sums: dict = defaultdict(lambda: [0] * len(ROLLUP_COUNTERS))
    for row in Rollup.objects.filter(period=RollupPeriod.QUARTER_HOUR).values():
        key = (bucket_of(row["bucket"]), row["agent_id"], row["channel_id"])
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
        days = stored_rows(RollupPeriod.STORE_DAY)
        assert RollupTimezone.objects.get().name == "Asia/Kolkata"  # store A's timezone
        assert len(hours) > 200
        assert hours == coarse_rows_from_quarters(lambda b: int(b.timestamp()) // HOUR * HOUR)
        # Days of Asia/Kolkata start at 18:30 UTC.
        assert {bucket % DAY for bucket, _, _ in days} == {18 * HOUR + 1800}
        assert days == coarse_rows_from_quarters(lambda b: int(day_start(b, KOLKATA).timestamp()))


def test_the_migration_backfills_hour_rows_from_quarter_hours(store_a):
    migration = importlib.import_module(
        "tenant_apps.analytics.migrations.0002_rollup_hours_and_store_days"
    )
    with in_store(store_a):
        analytics_events_ingest(events=spread_events(30, seed=2))
        ingested = stored_rows(RollupPeriod.UTC_HOUR)
        Rollup.objects.filter(period=RollupPeriod.UTC_HOUR).delete()
        with connection.cursor() as cursor:
            cursor.execute(migration.BACKFILL_HOUR_ROWS)
        assert len(ingested) > 100
        assert stored_rows(RollupPeriod.UTC_HOUR) == ingested


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


def reads_match_quarter_hours_alone(rng: random.Random):
    """Summaries and hour/day/week series in several zones against quarter-hour sums."""
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
            series = analytics_timeseries(period=period, metric="agent_replies", interval=interval)
            bounds = [datetime.fromisoformat(point["start"]) for point in series]
            bounds[0] = max(bounds[0], period.start_utc)  # a week may start before
            bounds.append(period.end_utc)
            for point, start, end in zip(series, bounds, bounds[1:], strict=False):
                expected_value = quarter_only_sums(start, end)["agent_replies"]
                assert point["value"] == expected_value, (zone_name, interval, point)
            assert sum(p["value"] for p in series) == summary["agent_replies"]


def test_reads_mixing_levels_equal_quarter_hours_alone_in_any_zone(store_a):
    with in_store(store_a):
        analytics_events_ingest(events=spread_events(80, seed=23))
        reads_match_quarter_hours_alone(random.Random(9))


def test_a_store_timezone_change_keeps_reads_exact_and_rebuild_rekeys_the_days(store_b):
    events = spread_events(50, seed=31)
    with in_store(store_b):
        analytics_events_ingest(events=events[:200])
    store_b.timezone = "Asia/Kathmandu"
    store_b.save(update_fields=["timezone"])
    with in_store(store_b):
        # Later batches still key days by the zone the first one fixed.
        analytics_events_ingest(events=events[200:])
        assert RollupTimezone.objects.get().name == "America/New_York"
        reads_match_quarter_hours_alone(random.Random(4))
        before = stored_rows(RollupPeriod.QUARTER_HOUR)

    call_command("analytics_rebuild", store="beta", stdout=io.StringIO())
    with in_store(store_b):
        kathmandu = ZoneInfo("Asia/Kathmandu")
        assert RollupTimezone.objects.get().name == "Asia/Kathmandu"
        assert stored_rows(RollupPeriod.QUARTER_HOUR) == before
        assert stored_rows(RollupPeriod.STORE_DAY) == coarse_rows_from_quarters(
            lambda b: int(day_start(b, kathmandu).timestamp())
        )
        reads_match_quarter_hours_alone(random.Random(4))
