"""Queueing background work so that a broker outage never fails the request that made it."""

import logging
from dataclasses import dataclass

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueuedTask:
    """An on-commit callback that sends one task; tests can read what it will send."""

    task: object
    args: tuple
    countdown: int | None = None

    def __call__(self) -> None:
        try:
            self.task.apply_async(self.args, countdown=self.countdown, retry=False)
        except (BrokerError, OSError) as error:
            logger.warning(
                "broker unavailable, %s%s left to its periodic job: %s",
                self.task.name,
                self.args,
                error,
            )


def task_enqueue_on_commit(task, *args, countdown: int | None = None) -> None:
    """Queue `task(*args)` once the current transaction commits.

    The work itself is recorded in PostgreSQL by the caller (a queued message, a repository to
    fetch), so when Redis is down we log and go on: the store's periodic job picks the work up
    once the broker is back, and the request still succeeds.
    """
    transaction.on_commit(QueuedTask(task, args, countdown))
