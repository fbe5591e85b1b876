from celery import shared_task

from .services import cart_expired_delete


@shared_task
def cart_expired_delete_task() -> int:
    """Daily, per store (the beat entry's headers pick the schema): drop carts idle 30 days."""
    return cart_expired_delete()
