from celery import shared_task

from .services import cart_expired_delete


@shared_task(name="tenant_apps.orders.tasks.cart_expired_delete_task")
def cart_expired_delete_task() -> int:
    """Daily, per store (the beat entry's headers pick the schema): drop carts idle 30 days.

    No retries: a failed run deletes nothing, and the next day's run catches up.
    """
    return cart_expired_delete()
