import uuid

from celery import shared_task
from django.db import connection

from .services import signup_digest_send


# Mail servers refuse or drop connections (OSError) for minutes, not milliseconds: the first
# retry waits about a minute, doubling up to ten, with jitter so stores do not retry at once.
@shared_task(
    bind=True,
    name="tenant_apps.signups.tasks.signup_digest_task",
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def signup_digest_task(self):
    """Beat runs this inside each store's schema (Mon + Wed 08:00 UTC by default).

    The Celery task id survives retries and redeliveries, so it is the run key: a retried
    run finds its digest and sends no second e-mail.
    """
    store = connection.tenant
    if getattr(store, "is_platform", True):
        return None  # queued outside a store: nothing to digest
    run_key = self.request.id or f"manual-{uuid.uuid4()}"
    digest = signup_digest_send(store=store, run_key=run_key)
    return digest.pk
