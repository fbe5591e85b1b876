"""The store's periodic jobs as a seller sees them: each in words, changed by minute, hour and
days (UTC). The beat rows and their crontabs are created by `store_create`
(tenants/services.py); the store admin edits the same rows with raw cron fields.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from .errors import StoreErrorCode
from .models import Store, StoreSchedule
from .services import StoreError, store_schedule_update

# celery's day_of_week numbers: 0 is Sunday. Listed Monday first, as a week reads.
WEEKDAYS = ((1, "Monday"), (2, "Tuesday"), (3, "Wednesday"), (4, "Thursday"), (5, "Friday"),
            (6, "Saturday"), (0, "Sunday"))  # fmt: skip
WEEKDAY_NAMES = dict(WEEKDAYS)


@dataclass(frozen=True)
class SimpleTimes:
    """A crontab the console's form can show: one minute, one hour or every hour, some days."""

    minute: int
    hour: int | None  # None: every hour
    days: tuple[int, ...]  # empty: every day


def schedule_list(*, store: Store) -> QuerySet[StoreSchedule]:
    return (
        StoreSchedule.objects.filter(store=store)
        .select_related("periodic_task__crontab")
        .order_by("periodic_task__name")
    )


def schedule_get(*, store: Store, key: str) -> StoreSchedule:
    schedule = schedule_list(store=store).filter(key=str(key)[:50]).first()
    if schedule is None:
        raise StoreError("The store has no such job.", code=StoreErrorCode.SCHEDULE_NOT_FOUND)
    return schedule


def _number(field: str, low: int, high: int) -> int | None:
    return int(field) if field.isdigit() and low <= int(field) <= high else None


def schedule_simple_times(schedule: StoreSchedule) -> SimpleTimes | None:
    """The job's times as minute/hour/days, or None when its cron fields say more than that
    (ranges, steps, days of the month set in the store admin)."""
    crontab = schedule.periodic_task.crontab
    if crontab is None or crontab.day_of_month != "*" or crontab.month_of_year != "*":
        return None
    minute = _number(crontab.minute, 0, 59)
    hour = None if crontab.hour == "*" else _number(crontab.hour, 0, 23)
    if minute is None or (hour is None and crontab.hour != "*"):
        return None
    if crontab.day_of_week == "*":
        return SimpleTimes(minute=minute, hour=hour, days=())
    days = []
    for part in crontab.day_of_week.split(","):
        day = _number(part, 0, 7)
        if day is None:
            return None
        days.append(day % 7)
    order = [number for number, _ in WEEKDAYS]
    return SimpleTimes(minute=minute, hour=hour, days=tuple(sorted(set(days), key=order.index)))


def _days_in_words(days: tuple[int, ...]) -> str:
    names = [WEEKDAY_NAMES[day] + "s" for day in days]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def schedule_in_words(schedule: StoreSchedule) -> str:
    """ "Mondays and Wednesdays at 08:00 UTC", "Every day at 03:15 UTC", "Every hour at :00"."""
    times = schedule_simple_times(schedule)
    if times is None:
        crontab = schedule.periodic_task.crontab
        return (
            f"Cron {crontab.minute} {crontab.hour} {crontab.day_of_month} "
            f"{crontab.month_of_year} {crontab.day_of_week} (UTC)"
        )
    days = _days_in_words(times.days) if times.days else ""
    if times.hour is None:
        every_hour = f"every hour at :{times.minute:02d}"
        return f"{days}, {every_hour}" if days else every_hour.capitalize()
    return f"{days or 'Every day'} at {times.hour:02d}:{times.minute:02d} UTC"


def schedule_change(
    *, schedule: StoreSchedule, enabled: bool, minute: int, hour: int | None, days
) -> StoreSchedule:
    """Run the job at `minute` past `hour` (None: every hour) on `days` (celery numbers,
    0 = Sunday; none or all seven: every day), UTC; or switch it off."""
    if isinstance(minute, bool) or not isinstance(minute, int) or not 0 <= minute <= 59:
        raise StoreError(
            "The minute is a number from 0 to 59.",
            code=StoreErrorCode.INVALID_SCHEDULE,
            details={"field": "minute"},
        )
    bad_hour = isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23
    if hour is not None and bad_hour:
        raise StoreError(
            "The hour is a number from 0 to 23, or every hour.",
            code=StoreErrorCode.INVALID_SCHEDULE,
            details={"field": "hour"},
        )
    try:
        day_set = {int(day) for day in days}
    except (TypeError, ValueError):
        day_set = {-1}
    if not day_set <= set(WEEKDAY_NAMES):
        raise StoreError(
            "Days are numbers from 0 (Sunday) to 6 (Saturday).",
            code=StoreErrorCode.INVALID_SCHEDULE,
            details={"field": "days"},
        )
    order = [number for number, _ in WEEKDAYS]
    day_of_week = (
        "*"
        if not day_set or len(day_set) == 7
        else ",".join(str(day) for day in sorted(day_set, key=order.index))
    )
    return store_schedule_update(
        schedule=schedule,
        enabled=bool(enabled),
        minute=str(minute),
        hour="*" if hour is None else str(hour),
        day_of_week=day_of_week,
    )
