"""The outbox of order notifications: rows written with the order event, sent exactly once.

The same pattern as conversation mail (tenant_apps/conversations/services.py):

* `order_notifications_queue` runs inside the transaction of the event (placing, a status
  change), so the rows exist exactly when the event does; a unique constraint on
  (order, event, channel, recipient) makes a repeated call add nothing. After the commit, a
  send task for the order is queued (`saas.tasks.enqueue_on_commit`); a broker outage only
  delays the rows until the periodic dispatch job finds them in PostgreSQL.
* A sender claims one due row at a time with `SELECT … FOR UPDATE SKIP LOCKED`, moves it
  pending -> sending and commits that before the message leaves. A second worker skips the
  locked row and, once the claim is committed, no longer sees it as pending: no row is sent
  twice. Tasks are acked late (settings), so a task cut off by a killed worker is not lost; the
  row it was sending stays "sending" and, after SENDING_STALE_AFTER, is marked failed rather
  than sent again (it may have left).
* A failure is retried after 1, 2, 4, 8 minutes; the fifth is final. A number the SMS
  provider refuses is final at once.

Mail safety (docs/conversations.md, "Mail safety"): a buyer's e-mail goes to an address the
buyer typed, so it is sent only while the store's owner is verified, and at most
ORDER_DAILY_MAIL_QUOTA of them a store day (beyond it they wait for the store's next day). The
team's e-mail goes only to members whose own address is verified.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from saas.access.timezone import current_store_timezone
from saas.tasks import enqueue_on_commit
from shared_apps.accounts.errors import AccountsErrorCode
from shared_apps.accounts.selectors import seller_is_verified
from shared_apps.accounts.sms import SmsError, sms_send

from .models import Order, OrderNotification
from .notification_texts import notification_email, notification_sms_text
from .selectors import store_member_addresses_verified

logger = logging.getLogger(__name__)

Note = OrderNotification
SEND_MAX_ATTEMPTS = 5
SEND_BACKOFF_BASE_SECONDS = 60
SENDING_STALE_AFTER = timedelta(minutes=15)
# Buyer e-mails a store sends a day (its calendar day), unless the setting says otherwise.
ORDER_DAILY_MAIL_QUOTA_DEFAULT = 200
# Registered in tasks.py; named here so this module never imports the task module.
SEND_TASK = "tenant_apps.orders.tasks.order_notifications_send_task"

# The order statuses the buyer hears about (accepting an order is the seller's own step).
STATUS_EVENTS = {
    Order.Status.PLACED: Note.Event.PLACED,
    Order.Status.SHIPPED: Note.Event.SHIPPED,
    Order.Status.DELIVERED: Note.Event.DELIVERED,
    Order.Status.CANCELLED: Note.Event.CANCELLED,
}
OWNER_NOT_VERIFIED_NOTE = "Not sent: the store's owner has not verified their account."
INTERRUPTED_NOTE = "Interrupted while sending; not sent again so it cannot arrive twice."


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- writing the rows, with the event ----------------------------------------------------


def order_notifications_queue(
    *, order: Order, status: str, now: datetime | None = None
) -> list[OrderNotification]:
    """The rows announcing that `order` became `status`; call inside the event's transaction.

    The buyer gets an SMS (to the mobile they signed in with) and, when the order carries an
    address, an e-mail; a new order also e-mails each verified member of the store.
    """
    event = STATUS_EVENTS.get(status)
    if event is None:
        return []
    now = _now(now)

    def row(channel: str, audience: str, recipient: str, row_event: str = event):
        return Note(
            order=order,
            event=row_event,
            channel=channel,
            audience=audience,
            recipient=recipient,
            next_attempt_at=now,
        )

    rows = [row(Note.Channel.SMS, Note.Audience.BUYER, order.customer.mobile)]
    if order.email:
        rows.append(row(Note.Channel.EMAIL, Note.Audience.BUYER, order.email))
    if event == Note.Event.PLACED:
        rows += [
            row(Note.Channel.EMAIL, Note.Audience.MEMBER, address, Note.Event.NEW_ORDER)
            for address in store_member_addresses_verified()
        ]
    Note.objects.bulk_create(rows, ignore_conflicts=True)
    enqueue_on_commit(SEND_TASK, order_id=order.pk)
    return rows


# --- sending ------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    # Buyer e-mails moved to the store's next day (the day's quota is used up).
    held_for_quota: list[int] = field(default_factory=list)
    # Found "sending" long after their claim: a worker died mid-send (failed, never resent).
    interrupted: list[int] = field(default_factory=list)


def order_notifications_send(*, order_id: int, now: datetime | None = None) -> SendResult:
    """Send the order's due rows that nobody else holds (safe to run any number of times)."""
    return _send_due(order_id=order_id, now=now, result=SendResult())


def order_notifications_dispatch(*, now: datetime | None = None) -> SendResult:
    """The periodic job: every due row of the store, and rows a dead worker left behind."""
    result = SendResult(interrupted=_interrupted_fail(now=_now(now)))
    return _send_due(order_id=None, now=now, result=result)


def _send_due(*, order_id: int | None, now: datetime | None, result: SendResult) -> SendResult:
    while True:
        # One row per claim: a worker killed mid-run leaves at most that row in doubt.
        claimed, seen = _claim_next(now=_now(now), order_id=order_id, result=result)
        if not seen:
            return result
        for note in claimed:
            _deliver(note=note, now=_now(now), result=result)


def _claim_next(
    *, now: datetime, order_id: int | None, result: SendResult
) -> tuple[list[OrderNotification], int]:
    with transaction.atomic():
        due = (
            Note.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("order__customer")
            .filter(status=Note.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
        )
        if order_id is not None:
            due = due.filter(order_id=order_id)
        rows = list(due[:1])
        claimed = [note for note in rows if _claim(note=note, now=now, result=result)]
    return claimed, len(rows)


def _claim(*, note: OrderNotification, now: datetime, result: SendResult) -> bool:
    """Claim one locked, due row for sending now, or settle why it is not sent (False)."""
    if note.channel == Note.Channel.EMAIL and note.audience == Note.Audience.BUYER:
        if not _store_owner_verified():
            Note.objects.filter(pk=note.pk).update(
                status=Note.Status.FAILED, last_error=OWNER_NOT_VERIFIED_NOTE
            )
            result.failed.append(note.pk)
            return False
        if not _buyer_mail_quota_left(now=now):
            Note.objects.filter(pk=note.pk).update(next_attempt_at=_store_next_day_start(now))
            result.held_for_quota.append(note.pk)
            return False
    # attempts is added in SQL: it counts claims exactly, whatever was read.
    Note.objects.filter(pk=note.pk).update(
        status=Note.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    note.status, note.claimed_at, note.attempts = Note.Status.SENDING, now, note.attempts + 1
    return True


def _deliver(*, note: OrderNotification, now: datetime, result: SendResult) -> None:
    try:
        if note.channel == Note.Channel.SMS:
            text = notification_sms_text(order=note.order, event=note.event)
            sms_send(to=note.recipient, text=text)
        else:
            notification_email(notification=note).send(fail_silently=False)
    except Exception as error:  # any provider or mail server failure is recorded
        logger.warning("Order notification %s failed (attempt %s): %s", note.pk, note.attempts,
                       type(error).__name__)  # fmt: skip
        _send_failed(note=note, now=now, error=error, result=result)
        return
    Note.objects.filter(pk=note.pk, status=Note.Status.SENDING).update(
        status=Note.Status.SENT, sent_at=now, last_error=""
    )
    result.sent.append(note.pk)


def _send_failed(
    *, note: OrderNotification, now: datetime, error: Exception, result: SendResult
) -> None:
    # Never the text itself in the record: an SMS error names the provider's code.
    error_text = f"{type(error).__name__}: {error}"[:1000]
    refused = isinstance(error, SmsError) and error.code == AccountsErrorCode.SMS_REJECTED.code
    if refused or note.attempts >= SEND_MAX_ATTEMPTS:
        Note.objects.filter(pk=note.pk, status=Note.Status.SENDING).update(
            status=Note.Status.FAILED, last_error=error_text
        )
        result.failed.append(note.pk)
        return
    delay = timedelta(seconds=SEND_BACKOFF_BASE_SECONDS * 2 ** (note.attempts - 1))
    with transaction.atomic():
        Note.objects.filter(pk=note.pk, status=Note.Status.SENDING).update(
            status=Note.Status.PENDING, next_attempt_at=now + delay, last_error=error_text
        )
        enqueue_on_commit(SEND_TASK, order_id=note.order_id, countdown=int(delay.total_seconds()))
    result.retrying.append(note.pk)


def _interrupted_fail(*, now: datetime) -> list[int]:
    with transaction.atomic():
        stale = list(
            Note.objects.select_for_update(skip_locked=True)
            .filter(status=Note.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER)
            .values_list("pk", flat=True)
        )
        Note.objects.filter(pk__in=stale).update(
            status=Note.Status.FAILED, last_error=INTERRUPTED_NOTE
        )
    return stale


# --- mail safety --------------------------------------------------------------------------


def _store_owner_verified() -> bool:
    tenant = getattr(connection, "tenant", None)
    return seller_is_verified(seller_id=getattr(tenant, "owner_id", None))


def order_daily_mail_quota() -> int:
    return getattr(settings, "ORDER_DAILY_MAIL_QUOTA", ORDER_DAILY_MAIL_QUOTA_DEFAULT)


def _store_day_start(moment: datetime) -> datetime:
    local = moment.astimezone(current_store_timezone())
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def _store_next_day_start(moment: datetime) -> datetime:
    local = moment.astimezone(current_store_timezone())
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)


def _buyer_mail_quota_left(*, now: datetime) -> bool:
    """Whether one more buyer e-mail fits in the store's day; call inside the claim.

    A transaction-level advisory lock (one per store) makes claimers count one after another,
    so any number of workers together stay within the quota; the count is of claims made
    today that are sending or sent (a failed attempt sent nothing and gives its place back).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"{connection.schema_name}:order-mail-quota"],
        )
    used = Note.objects.filter(
        channel=Note.Channel.EMAIL,
        audience=Note.Audience.BUYER,
        status__in=[Note.Status.SENDING, Note.Status.SENT],
        claimed_at__gte=_store_day_start(now),
    ).count()
    return used < order_daily_mail_quota()
