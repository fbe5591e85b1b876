"""Celery tasks of the orders tool: each takes ids, calls one service and is safe to run twice.

The notification tasks have no Celery-level retry, by design: a failed message is retried
through the database (`OrderNotification.next_attempt_at`, notifications.py), so the retry
survives a broker outage; the periodic dispatch job picks every due row up from PostgreSQL.
"""

from celery import shared_task

from .notifications import order_notifications_dispatch, order_notifications_send
from .services import cart_expired_delete


@shared_task(name="tenant_apps.orders.tasks.cart_expired_delete_task")
def cart_expired_delete_task() -> int:
    """Daily, per store (the beat entry's headers pick the schema): drop carts idle 30 days.

    No retries: a failed run deletes nothing, and the next day's run catches up.
    """
    return cart_expired_delete()


@shared_task(name="tenant_apps.orders.tasks.order_notifications_send_task")
def order_notifications_send_task(order_id: int) -> int:
    """Send the order's due notifications now; a second run finds them claimed or sent."""
    return len(order_notifications_send(order_id=order_id).sent)


@shared_task(name="tenant_apps.orders.tasks.order_notifications_dispatch_task")
def order_notifications_dispatch_task() -> dict:
    """The periodic job: every due notification of the store, and any a dead worker left."""
    result = order_notifications_dispatch()
    return {
        "sent": len(result.sent),
        "retrying": len(result.retrying),
        "failed": len(result.failed),
        "held_for_quota": len(result.held_for_quota),
        "interrupted": len(result.interrupted),
    }
