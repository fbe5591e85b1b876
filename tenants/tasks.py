"""Platform tasks of the tenants app (run in the public schema)."""

from celery import shared_task

from .pool import store_schema_pool_fill


@shared_task
def store_schema_pool_fill_task() -> int:
    """Top the spare schema pool up (queued after a store takes a spare; every 10 minutes)."""
    return store_schema_pool_fill()
