"""Reads of the conversations tool.

`<entity>_get` raises the tool's 404 error when the row is absent; it never returns None.
"""

from django.db import connection
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from shared_apps.accounts.selectors import seller_is_verified

from .errors import ConversationError, ConversationsErrorCode
from .mail import unsubscribe_token_client_id
from .models import Chat, Client, Conversation, DiscountCode, Operator


def client_list(*, search: str = "") -> QuerySet[Client]:
    """Clients by name, each with `active_discount_code` (the code, or None)."""
    active_code = DiscountCode.objects.filter(client=OuterRef("pk"), is_active=True).values("code")
    clients = Client.objects.annotate(active_discount_code=Subquery(active_code[:1])).order_by(
        "name", "pk"
    )
    if search:
        clients = clients.filter(name__icontains=search) | clients.filter(email__icontains=search)
    return clients


def client_get(*, client_id: int) -> Client:
    client = client_list().filter(pk=client_id).first()
    if client is None:
        raise ConversationError("No such client.", code=ConversationsErrorCode.CLIENT_NOT_FOUND)
    return client


def client_for_unsubscribe_link(*, token: str) -> Client:
    """The client an unsubscribe link of this store names (ConversationError when the link is
    altered, expired, of another store, or names a client who no longer exists)."""
    client = Client.objects.filter(pk=unsubscribe_token_client_id(token)).first()
    if client is None:
        raise ConversationError(
            "This unsubscribe link is not valid. Use the link exactly as it arrived by e-mail.",
            code=ConversationsErrorCode.UNSUBSCRIBE_LINK_INVALID,
        )
    return client


def store_mail_sender_verified() -> bool:
    """Whether the current store's owner has verified their account: only then does the store's
    mail go out. Read on every dispatch, so mail flows from the first run after verifying."""
    tenant = getattr(connection, "tenant", None)
    return seller_is_verified(seller_id=getattr(tenant, "owner_id", None))


def operator_list() -> QuerySet[Operator]:
    return Operator.objects.order_by("name", "pk")


def operator_get(*, operator_id: int) -> Operator:
    operator = Operator.objects.filter(pk=operator_id).first()
    if operator is None:
        raise ConversationError("No such operator.", code=ConversationsErrorCode.OPERATOR_NOT_FOUND)
    return operator


def conversation_list(
    *, status: str | None = None, client_id: int | None = None, operator_id: int | None = None
) -> QuerySet[Conversation]:
    conversations = Conversation.objects.select_related("client", "operator").order_by(
        "-created_at", "-pk"
    )
    if status:
        conversations = conversations.filter(status=status)
    if client_id is not None:
        conversations = conversations.filter(client_id=client_id)
    if operator_id is not None:
        conversations = conversations.filter(operator_id=operator_id)
    return conversations


def _conversation_not_found() -> ConversationError:
    return ConversationError(
        "No such conversation.", code=ConversationsErrorCode.CONVERSATION_NOT_FOUND
    )


def conversation_get(*, conversation_id: int) -> Conversation:
    conversation = conversation_list().filter(pk=conversation_id).first()
    if conversation is None:
        raise _conversation_not_found()
    return conversation


def conversation_detail(*, conversation_id: int) -> Conversation:
    """One conversation with its chats, oldest first."""
    conversation = (
        conversation_list()
        .prefetch_related(Prefetch("chats", queryset=Chat.objects.order_by("created_at", "pk")))
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise _conversation_not_found()
    return conversation
