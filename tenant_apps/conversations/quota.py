"""The store's daily quota of conversation e-mails (setting CONVERSATION_DAILY_MAIL_QUOTA).

A day is the store's calendar day in the store's timezone, the day the seller reads on their
dashboard. A message counts when a dispatcher claims it for sending; a failed attempt gives its
place back (nothing left), an attempt cut off mid-send keeps it (it may have left).

Race-safe by construction: the count is one `INSERT … ON CONFLICT DO UPDATE … WHERE sent < quota`
inside the claim's transaction. PostgreSQL locks the day's row for the upsert, so a second
dispatcher waits for the first one's claim to commit and then sees its count; a claim that
finds the row full updates nothing and learns the day is used up.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection

from saas.access.timezone import current_store_timezone

from .models import MailQuotaDay


def quota_limit() -> int:
    return settings.CONVERSATION_DAILY_MAIL_QUOTA


def quota_day(moment: datetime) -> date:
    """The store's calendar day at `moment`."""
    return moment.astimezone(current_store_timezone()).date()


def quota_next_day_start(moment: datetime) -> datetime:
    """The store's next midnight after `moment` (aware)."""
    zone = current_store_timezone()
    return datetime.combine(quota_day(moment) + timedelta(days=1), time(0), tzinfo=zone)


def quota_used(*, moment: datetime) -> int:
    row = MailQuotaDay.objects.filter(day=quota_day(moment)).first()
    return row.sent if row else 0


def quota_is_used_up(*, moment: datetime) -> bool:
    return quota_used(moment=moment) >= quota_limit()


def _table() -> str:
    return connection.ops.quote_name(MailQuotaDay._meta.db_table)


def quota_take(*, moment: datetime) -> bool:
    """Count one e-mail on the store's day of `moment`; False (nothing counted) when full.

    Call it inside the transaction that claims the message, so the count and the claim commit
    (or roll back) together.
    """
    limit = quota_limit()
    if limit <= 0:
        return False
    table = _table()  # our own table name; the values go as parameters
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, sent) VALUES (%s, 1) "
            f"ON CONFLICT (day) DO UPDATE SET sent = {table}.sent + 1 "
            f"WHERE {table}.sent < %s RETURNING sent",
            [quota_day(moment), limit],
        )
        return cursor.fetchone() is not None


def quota_give_back(*, moment: datetime) -> None:
    """Return the place of an attempt that sent nothing (claimed at `moment`)."""
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET sent = sent - 1 WHERE day = %s AND sent > 0",
            [quota_day(moment)],
        )
