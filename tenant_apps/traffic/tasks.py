"""Traffic fetching in the background; every task runs inside its store's schema.

Tasks import services, never the reverse: services queue `traffic_fetch_task` by name.
"""

import logging

from celery import shared_task

from .github import GithubRateLimited, GithubUnavailable
from .models import Repository
from .services import repository_fetch_error_record, traffic_fetch

logger = logging.getLogger(__name__)

# Network failures (the project's retry policy, Celery's autoretry): waits of up to 30 s,
# 1, 2, 4 and 8 minutes with full jitter, then the error is shown and the next daily run tries
# again.
NETWORK_MAX_RETRIES = 5
NETWORK_BACKOFF_SECONDS = 30
NETWORK_BACKOFF_MAX_SECONDS = 600
# A rate limit resets within the hour; this many waits cover a long outage of our quota.
RATE_LIMIT_MAX_RETRIES = 24


@shared_task(name="tenant_apps.traffic.tasks.traffic_fetch_all_task")
def traffic_fetch_all_task() -> int:
    """The store's daily job: one fetch task per repository, so one failure stops no other."""
    repository_ids = list(Repository.objects.values_list("id", flat=True))
    for repository_id in repository_ids:
        traffic_fetch_task.delay(repository_id=str(repository_id))
    return len(repository_ids)


@shared_task(
    bind=True,
    name="tenant_apps.traffic.tasks.traffic_fetch_task",
    autoretry_for=(GithubUnavailable,),
    retry_backoff=NETWORK_BACKOFF_SECONDS,
    retry_backoff_max=NETWORK_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=NETWORK_MAX_RETRIES,
)
def traffic_fetch_task(self, repository_id: str) -> None:
    """Fetch one repository; idempotent (each count keeps its maximum, snapshots replace)."""
    retries = self.request.retries
    try:
        traffic_fetch(repository_id=repository_id)
    except GithubRateLimited as error:
        # GitHub says how long to wait, which Celery's autoretry cannot read: the retry waits
        # `countdown(retries)` (until the reset, or at least a minute for a secondary limit,
        # doubling on each retry), with jitter, and has its own patience.
        if retries >= RATE_LIMIT_MAX_RETRIES:
            repository_fetch_error_record(
                repository_id=repository_id, code=error.code, message=error.message
            )
            return
        countdown = error.countdown(retries)
        kind = "secondary rate limit" if error.secondary else "rate limit"
        repository_fetch_error_record(
            repository_id=repository_id,
            code=error.code,
            message=f"GitHub's {kind} was hit; retrying in {countdown} s.",
        )
        logger.info("traffic fetch %s: %s, retry in %s s", repository_id, kind, countdown)
        raise self.retry(countdown=countdown, max_retries=RATE_LIMIT_MAX_RETRIES) from error
    except GithubUnavailable as error:
        if retries < self.max_retries:
            logger.info("traffic fetch %s: %s (retry %s)", repository_id, error.message, retries)
            raise  # autoretry_for queues the next attempt, with backoff and jitter
        # Out of retries: the seller reads why, and the next daily run tries again.
        repository_fetch_error_record(
            repository_id=repository_id,
            code=error.code,
            message=f"{error.message} Tried {retries + 1} times; the next run tries again.",
        )
