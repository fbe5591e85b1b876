"""Celery tasks: each takes ids, calls one service and is safe to run twice.

tenant-schemas-celery runs them inside the store they were queued from (or, for the beat job,
the store named in the PeriodicTask's headers).

No Celery-level retry here, by design: a failed e-mail is retried through the database
(`Chat.next_attempt_at`, see services.py), because that retry must survive a broker outage;
the hourly dispatch job picks every queued message up from PostgreSQL.
"""

from celery import shared_task

from .services import chat_mail_dispatch, chat_send


@shared_task(name="tenant_apps.conversations.tasks.conversation_mail_dispatch_task")
def conversation_mail_dispatch_task() -> dict:
    """The hourly job: e-mail every message that is due and inside its client's window."""
    result = chat_mail_dispatch()
    return {
        "sent": len(result.sent),
        "retrying": len(result.retrying),
        "failed": len(result.failed),
        "deferred": len(result.deferred),
        "interrupted": len(result.interrupted),
        "held_for_verification": len(result.held_for_verification),
        "held_for_quota": len(result.held_for_quota),
        "unsubscribed": len(result.unsubscribed),
    }


@shared_task(name="tenant_apps.conversations.tasks.chat_send_task")
def chat_send_task(chat_id: int) -> bool:
    """Send one message now if it is still queued and due; a second run finds it claimed."""
    return bool(chat_send(chat_id=chat_id).sent)
