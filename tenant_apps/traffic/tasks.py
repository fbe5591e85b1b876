"""Traffic fetching in the background; every task runs inside its store's schema."""

import logging

from saas.celery import app

from .github import GithubRateLimited, GithubUnavailable
from .models import Repository
from .services import repository_fetch_error_record, traffic_fetch

logger = logging.getLogger(__name__)

# Network failures: 30 s, 1 min, 2 min, 4 min, 8 min, then the error is shown and the next
# daily run tries again.
NETWORK_MAX_RETRIES = 5
NETWORK_BACKOFF_SECONDS = 30
# A rate limit resets within the hour; this many waits cover a long outage of our quota.
RATE_LIMIT_MAX_RETRIES = 24


def network_backoff_seconds(retries: int) -> int:
    return NETWORK_BACKOFF_SECONDS * 2**retries


@app.task(name="tenant_apps.traffic.tasks.traffic_fetch_all_task")
def traffic_fetch_all_task() -> int:
    """The store's daily job: one fetch task per repository, so one failure stops no other."""
    repository_ids = list(Repository.objects.values_list("id", flat=True))
    for repository_id in repository_ids:
        traffic_fetch_task.delay(str(repository_id))
    return len(repository_ids)


# Retries are counted here rather than by Celery's max_retries, because a rate limit and a
# network failure deserve different patience.
@app.task(bind=True, max_retries=None, name="tenant_apps.traffic.tasks.traffic_fetch_task")
def traffic_fetch_task(self, repository_id: str) -> None:
    retries = self.request.retries
    try:
        traffic_fetch(repository_id=repository_id)
    except GithubRateLimited as error:
        if retries >= RATE_LIMIT_MAX_RETRIES:
            repository_fetch_error_record(
                repository_id=repository_id, code=error.code, message=error.message
            )
            return
        repository_fetch_error_record(
            repository_id=repository_id,
            code=error.code,
            message=f"GitHub's rate limit is used up; retrying in {error.retry_after_seconds} s.",
        )
        logger.info("traffic fetch %s rate limited", repository_id)
        raise self.retry(countdown=error.retry_after_seconds) from error
    except GithubUnavailable as error:
        if retries >= NETWORK_MAX_RETRIES:
            repository_fetch_error_record(
                repository_id=repository_id,
                code=error.code,
                message=f"{error.message} Tried {retries + 1} times; the next run tries again.",
            )
            return
        logger.info("traffic fetch %s: %s (retry %s)", repository_id, error.message, retries)
        raise self.retry(countdown=network_backoff_seconds(retries)) from error
