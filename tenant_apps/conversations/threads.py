"""Writes and checks of a conversation beyond the chat contract, for the console: reopen a
closed conversation, start one with a new client, check a message before sending it.

Built on services.py (the same rules as the APIs); services.py never imports this module.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone as django_timezone

from shared_apps.accounts.models import Seller

from . import events
from .errors import ConversationError, ConversationsErrorCode
from .models import Chat, Conversation
from .payload import payload_parse
from .services import chat_rules_check, client_create, conversation_open
from .window import window_send_at


@transaction.atomic
def conversation_reopen(*, conversation: Conversation, now: datetime | None = None) -> Conversation:
    """Open a closed conversation again (messages may be written to it once more)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == Conversation.Status.OPEN:
        raise ConversationError(
            "The conversation is already open.", code=ConversationsErrorCode.CONVERSATION_OPEN
        )
    conversation.status = Conversation.Status.OPEN
    conversation.reopened_at = now or django_timezone.now()
    conversation.save(update_fields=["status", "reopened_at"])
    events.conversation_reopened_emit(conversation=conversation)
    return conversation


@transaction.atomic
def conversation_open_with_new_client(
    *, seller: Seller, name: str, email: str, timezone: str, mobile: str = ""
) -> Conversation:
    """Add a client and open a conversation with them, the caller as operator (one step of
    the console's New conversation; nothing is kept when either part is refused)."""
    client = client_create(name=name, email=email, timezone=timezone, mobile=mobile)
    return conversation_open(seller=seller, client_id=client.pk)


@dataclass(frozen=True)
class ChatCheck:
    """What a message would become if written now (the console's check before sending)."""

    rendered: str
    author_kind: str
    scheduled_for: datetime | None
    # Inside the client's window now: it leaves at once (no later than the next dispatch).
    sends_now: bool = False


def chat_check(
    *, conversation_id: int, user_id: int, payload: str, now: datetime | None = None
) -> ChatCheck:
    """The rules of `chat_create`, without writing anything; raises the same errors."""
    now = now or django_timezone.now()
    parsed = payload_parse(payload)  # the payload's own rules come first, as in chat_create
    conversation = Conversation.objects.select_related("client").filter(pk=conversation_id).first()
    if conversation is None:
        raise ConversationError(
            "No such conversation.", code=ConversationsErrorCode.CONVERSATION_NOT_FOUND
        )
    _, author_kind, rendered = chat_rules_check(
        conversation=conversation, user_id=user_id, payload=parsed.text
    )
    scheduled_for = None
    if author_kind == Chat.Author.OPERATOR:
        scheduled_for = window_send_at(moment=now, timezone=conversation.client.timezone)
    return ChatCheck(
        rendered=rendered,
        author_kind=author_kind,
        scheduled_for=scheduled_for,
        sends_now=scheduled_for == now,
    )
