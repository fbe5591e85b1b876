"""The client's window: 09:00 inclusive to 20:00 exclusive, in the client's own zone."""

import pytest

from tenant_apps.conversations.window import window_contains, window_next_start, window_send_at
from tests.support.times import local, utc

KOLKATA = "Asia/Kolkata"
NEW_YORK = "America/New_York"


@pytest.mark.parametrize(
    ("zone", "wall", "inside"),
    [
        (KOLKATA, (2026, 3, 9, 8, 59), False),
        (KOLKATA, (2026, 3, 9, 9, 0), True),
        (KOLKATA, (2026, 3, 9, 19, 59), True),
        (KOLKATA, (2026, 3, 9, 20, 0), False),
        (NEW_YORK, (2026, 3, 9, 8, 59), False),
        (NEW_YORK, (2026, 3, 9, 9, 0), True),
        (NEW_YORK, (2026, 3, 9, 19, 59), True),
        (NEW_YORK, (2026, 3, 9, 20, 0), False),
    ],
)
def test_window_boundaries(zone, wall, inside):
    assert window_contains(moment=local(zone, *wall), timezone=zone) is inside


@pytest.mark.parametrize(
    ("zone", "wall", "expected_utc"),
    [
        # Before the window: today's 09:00. Kolkata is UTC+05:30, so 09:00 is 03:30 UTC.
        (KOLKATA, (2026, 3, 9, 8, 59), utc(2026, 3, 9, 3, 30)),
        # Inside: the message leaves now.
        (KOLKATA, (2026, 3, 9, 9, 0), utc(2026, 3, 9, 3, 30)),
        (KOLKATA, (2026, 3, 9, 19, 59), utc(2026, 3, 9, 14, 29)),
        # At 20:00 the window is shut: tomorrow's 09:00.
        (KOLKATA, (2026, 3, 9, 20, 0), utc(2026, 3, 10, 3, 30)),
        (KOLKATA, (2026, 3, 9, 23, 59), utc(2026, 3, 10, 3, 30)),
        (KOLKATA, (2026, 3, 10, 0, 0), utc(2026, 3, 10, 3, 30)),
        (NEW_YORK, (2026, 3, 9, 8, 59), utc(2026, 3, 9, 13, 0)),
        (NEW_YORK, (2026, 3, 9, 20, 0), utc(2026, 3, 10, 13, 0)),
    ],
)
def test_send_at_is_now_inside_and_next_start_outside(zone, wall, expected_utc):
    assert window_send_at(moment=local(zone, *wall), timezone=zone) == expected_utc


def test_next_window_across_spring_forward_is_one_hour_earlier_in_utc():
    # 2026-03-08: New York moves from EST (-05:00) to EDT (-04:00) at 02:00.
    saturday_evening = local(NEW_YORK, 2026, 3, 7, 21, 0)  # 02:00 UTC on the 8th
    assert saturday_evening == utc(2026, 3, 8, 2, 0)

    start = window_next_start(moment=saturday_evening, timezone=NEW_YORK)

    # 09:00 EDT, not 14:00 UTC (which a "+12 hours" or a fixed offset would give).
    assert start == utc(2026, 3, 8, 13, 0)
    assert start.astimezone(local(NEW_YORK, 2026, 3, 8).tzinfo).hour == 9


def test_next_window_across_fall_back_is_one_hour_later_in_utc():
    # 2026-11-01: New York moves from EDT (-04:00) back to EST (-05:00) at 02:00.
    night = local(NEW_YORK, 2026, 10, 31, 23, 30)
    assert window_next_start(moment=night, timezone=NEW_YORK) == utc(2026, 11, 1, 14, 0)


def test_during_the_repeated_hour_the_next_window_is_the_same_morning():
    # 01:30 happens twice on 2026-11-01; both are before the window of that day.
    first = utc(2026, 11, 1, 5, 30)  # 01:30 EDT
    second = utc(2026, 11, 1, 6, 30)  # 01:30 EST
    assert window_send_at(moment=first, timezone=NEW_YORK) == utc(2026, 11, 1, 14, 0)
    assert window_send_at(moment=second, timezone=NEW_YORK) == utc(2026, 11, 1, 14, 0)


def test_dst_day_window_edges_in_local_time():
    # On the spring-forward day the window is still 09:00-20:00 of the wall clock.
    assert not window_contains(moment=utc(2026, 3, 8, 12, 59), timezone=NEW_YORK)  # 08:59 EDT
    assert window_contains(moment=utc(2026, 3, 8, 13, 0), timezone=NEW_YORK)  # 09:00 EDT
    assert window_contains(moment=utc(2026, 3, 8, 23, 59), timezone=NEW_YORK)  # 19:59 EDT
    assert not window_contains(moment=utc(2026, 3, 9, 0, 0), timezone=NEW_YORK)  # 20:00 EDT


def test_half_hour_zone_edges_in_utc():
    assert not window_contains(moment=utc(2026, 6, 1, 3, 29), timezone=KOLKATA)  # 08:59 IST
    assert window_contains(moment=utc(2026, 6, 1, 3, 30), timezone=KOLKATA)  # 09:00 IST
    assert window_contains(moment=utc(2026, 6, 1, 14, 29), timezone=KOLKATA)  # 19:59 IST
    assert not window_contains(moment=utc(2026, 6, 1, 14, 30), timezone=KOLKATA)  # 20:00 IST
    # Kathmandu is UTC+05:45: a quarter-hour zone works the same way.
    assert window_next_start(moment=utc(2026, 6, 1, 0, 0), timezone="Asia/Kathmandu") == utc(
        2026, 6, 1, 3, 15
    )
