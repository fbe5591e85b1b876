"""Queueing background work by task name, after commit, so no service imports a task module.

A service says `enqueue_on_commit("<app>.tasks.<name>_task", id=...)`; the task module
services and tasks form no import cycle.
"""

import contextlib
import logging
from dataclasses import dataclass, field

from celery import current_app
from django.db import connection, transaction
from django_tenants.utils import schema_context, tenant_context
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)


def registered_task(name: str):
    """The task registered as `name`, importing every app's tasks module on first need.

    A web process never imports task modules by itself (services only name tasks), and Celery's
    `autodiscover_tasks` runs only when its loader imports the default modules, so we ask it to.
    """
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


@dataclass(frozen=True)
class QueuedTask:
    """An on-commit callback that sends one task; tests can read what it will send."""

    name: str
    kwargs: dict = field(default_factory=dict)
    countdown: int | None = None
    # The store whose transaction queued the task: the commit may run after the code left
    # that store's context (an atomic block around a `tenant_context`), and the task must
    # still run in the store that wrote its rows.
    schema_name: str = "public"
    # That store itself (not compared): put back as it was, so code that reads the store's
    # fields (its owner, its currency) finds them.
    tenant: object = field(default=None, compare=False, repr=False)

    def __call__(self) -> None:
        # Looked up in the app's registry (not `send_task`) so eager mode in tests runs it
        # in-process, and tenant-schemas-celery adds the schema header of the store set here.
        task = registered_task(self.name)
        try:
            with self._in_its_store():
                task.apply_async(kwargs=self.kwargs, countdown=self.countdown, retry=False)
        except (BrokerError, OSError) as error:
            logger.warning(
                "broker unavailable, %s%s left to its periodic job: %s",
                self.name,
                self.kwargs,
                error,
            )

    def _in_its_store(self):
        if getattr(connection, "schema_name", "public") == self.schema_name:
            return contextlib.nullcontext()
        if self.tenant is not None:
            return tenant_context(self.tenant)
        return schema_context(self.schema_name)


def enqueue_on_commit(name: str, *, countdown: int | None = None, **kwargs) -> None:
    """Queue the task registered as `name` with `kwargs` once the current transaction commits.

    The work itself is recorded in PostgreSQL by the caller (a queued message, a repository to
    fetch), so when the broker is down we log and go on: the store's periodic job picks the
    work up once the broker is back, and the request still succeeds.
    """
    schema_name = getattr(connection, "schema_name", "public")
    tenant = getattr(connection, "tenant", None)
    transaction.on_commit(QueuedTask(name, kwargs, countdown, schema_name, tenant))
