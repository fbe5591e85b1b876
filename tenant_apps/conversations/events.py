"""The bridge from conversations to the store's support analytics.

Each fact becomes one event of the analytics ingestion shape, recorded after the commit that
made it. Event ids derive from our row ids (`conv-<id>-created`, `chat-<id>`, ...), so a retried
task or a re-run is recognised by analytics as a duplicate and never counted twice.

Services call the `*_emit` functions; this module never imports the services.
"""

import logging

from django.db import transaction

from tenant_apps.analytics.services import analytics_events_ingest

from .models import Chat, Conversation

logger = logging.getLogger(__name__)

CHANNEL = {"id": "email", "name": "E-mail", "type": "email"}


def _conversation_ref(conversation: Conversation) -> dict:
    return {"id": f"conv-{conversation.pk}", "channel": dict(CHANNEL)}


def _agent(conversation: Conversation) -> dict:
    operator = conversation.operator
    return {"id": f"operator-{operator.pk}", "name": operator.name, "email": operator.email}


def conversation_events(*, conversation: Conversation) -> list[dict]:
    """created + assigned (the operator is assigned when the conversation opens)."""
    occurred_at = conversation.created_at.isoformat()
    return [
        {
            "id": f"conv-{conversation.pk}-created",
            "type": "conversation.created",
            "occurred_at": occurred_at,
            "conversation": _conversation_ref(conversation),
        },
        {
            "id": f"conv-{conversation.pk}-assigned",
            "type": "conversation.assigned",
            "occurred_at": occurred_at,
            "conversation": _conversation_ref(conversation),
            "agent": _agent(conversation),
        },
    ]


def _moment_id(moment) -> int:
    return int(moment.timestamp() * 1_000_000)


def conversation_closed_events(*, conversation: Conversation) -> list[dict]:
    # A conversation closed again after a reopen is a new fact: its id carries the moment.
    event_id = f"conv-{conversation.pk}-closed"
    if conversation.reopened_at is not None:
        event_id += f"-{_moment_id(conversation.closed_at)}"
    return [
        {
            "id": event_id,
            "type": "conversation.closed",
            "occurred_at": conversation.closed_at.isoformat(),
            "conversation": _conversation_ref(conversation),
            "agent": _agent(conversation),
        }
    ]


def conversation_reopened_events(*, conversation: Conversation) -> list[dict]:
    return [
        {
            "id": f"conv-{conversation.pk}-reopened-{_moment_id(conversation.reopened_at)}",
            "type": "conversation.reopened",
            "occurred_at": conversation.reopened_at.isoformat(),
            "conversation": _conversation_ref(conversation),
            "agent": _agent(conversation),
        }
    ]


def chat_events(*, chat: Chat) -> list[dict]:
    conversation = chat.conversation
    event = {
        "id": f"chat-{chat.pk}",
        "occurred_at": chat.created_at.isoformat(),
        "conversation": _conversation_ref(conversation),
    }
    if chat.author_kind == Chat.Author.OPERATOR:
        event |= {"type": "conversation.agent_replied", "agent": _agent(conversation)}
    else:
        event["type"] = "conversation.customer_replied"
    return [event]


def conversation_analytics_record(*, kind: str, object_id: int) -> int:
    """Hand one conversation fact to the store's support analytics; returns events accepted.

    Idempotent: the event ids come from our row ids, analytics skips ids it has seen.
    """
    if kind == "chat":
        chat = Chat.objects.select_related("conversation__operator").filter(pk=object_id).first()
        batch = chat_events(chat=chat) if chat else []
    else:
        conversation = Conversation.objects.select_related("operator").filter(pk=object_id).first()
        if conversation is None:
            batch = []
        elif kind == "opened":
            batch = conversation_events(conversation=conversation)
        elif kind == "closed" and conversation.closed_at is not None:
            batch = conversation_closed_events(conversation=conversation)
        elif kind == "reopened" and conversation.reopened_at is not None:
            batch = conversation_reopened_events(conversation=conversation)
        else:
            batch = []
    if not batch:
        return 0
    return analytics_events_ingest(events=batch).accepted


def _queue(kind: str, object_id: int) -> None:
    """Record the fact in analytics right after the commit, in this process.

    Not through Celery: a broker outage would lose the event. The ingestion is a few upserts,
    and an analytics failure is logged, never turned into an error for a committed message.
    """

    def record() -> None:
        try:
            conversation_analytics_record(kind=kind, object_id=object_id)
        except Exception:
            logger.exception("analytics event %s %s not recorded", kind, object_id)

    transaction.on_commit(record)


def conversation_opened_emit(*, conversation: Conversation) -> None:
    _queue("opened", conversation.pk)


def conversation_closed_emit(*, conversation: Conversation) -> None:
    _queue("closed", conversation.pk)


def chat_created_emit(*, chat: Chat) -> None:
    _queue("chat", chat.pk)


def conversation_reopened_emit(*, conversation: Conversation) -> None:
    _queue("reopened", conversation.pk)
