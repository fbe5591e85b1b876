"""Reads of the conversations tool.

`<entity>_get` raises the tool's 404 error when the row is absent; it never returns None.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Greatest

from shared_apps.accounts.selectors import seller_is_verified
from tenant_apps.orders.discount_selectors import discount_codes_usable

from .errors import ConversationError, ConversationsErrorCode
from .mail import unsubscribe_token_client_id
from .models import Chat, Client, Conversation, DiscountCode, Operator

# The last_error of a message that was waiting when its client unsubscribed (services.py
# writes it; kept here so reads need not import the services).
UNSUBSCRIBED_NOTE = "The client unsubscribed; not sent."


def _client_codes_usable():
    """The clients' codes a buyer can still use (active, not ended, not used up), newest
    first: a client's first one is what `{{ discountCode }}` says."""
    return DiscountCode.objects.filter(discount__in=discount_codes_usable()).order_by(
        "-created_at", "-pk"
    )


def client_discount_code(*, client: Client) -> DiscountCode | None:
    return _client_codes_usable().filter(client=client).select_related("discount").first()


def client_list(*, search: str = "") -> QuerySet[Client]:
    """Clients by name, each with `active_discount_code` (the code, or None)."""
    active_code = _client_codes_usable().filter(client=OuterRef("pk")).values("discount__code")
    clients = Client.objects.annotate(active_discount_code=Subquery(active_code[:1])).order_by(
        "name", "pk"
    )
    if search:
        clients = clients.filter(name__icontains=search) | clients.filter(email__icontains=search)
    return clients


def clients_by_contacts(*, emails=(), mobiles=()) -> QuerySet[Client]:
    """The clients with one of these e-mail addresses (any capitals) or mobiles; for tools
    that show one person across the store (the orders tool's Customers)."""
    match = Q(pk__in=[])
    for email in {email.lower() for email in emails if email}:
        match |= Q(email__iexact=email)
    mobiles = [mobile for mobile in mobiles if mobile]
    if mobiles:
        match |= Q(mobile__in=mobiles)
    return Client.objects.filter(match).order_by("name", "pk")


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


# --- the console's inbox --------------------------------------------------------------------


def _latest_chat(field: str):
    latest = Chat.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-pk")
    return Subquery(latest.values(field)[:1])


def conversation_inbox(*, status: str = Conversation.Status.OPEN) -> QuerySet[Conversation]:
    """Conversations of one status, newest activity first, each with `last_activity_at`,
    `last_chat_text` and `last_chat_author` (None without messages)."""
    return (
        Conversation.objects.filter(status=status)
        .select_related("client", "operator")
        .annotate(
            # PostgreSQL's GREATEST skips NULLs: the latest of opening, messages, close, reopen.
            last_activity_at=Greatest(
                "created_at", Max("chats__created_at"), "closed_at", "reopened_at"
            ),
            last_chat_text=_latest_chat("rendered"),
            last_chat_author=_latest_chat("author_kind"),
        )
        .order_by("-last_activity_at", "-pk")
    )


def conversation_waiting_filter(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Open conversations whose latest message is the client's: the client waits for a reply.
    (A conversation without messages was opened by the store: nobody is waiting yet.)"""
    return conversations.annotate(latest_author=_latest_chat("author_kind")).filter(
        status=Conversation.Status.OPEN, latest_author=Chat.Author.CLIENT
    )


@dataclass(frozen=True)
class InboxCounts:
    open: int
    closed: int
    waiting: int


def conversation_inbox_counts() -> InboxCounts:
    counts = Conversation.objects.aggregate(
        open=Count("pk", filter=Q(status=Conversation.Status.OPEN)),
        closed=Count("pk", filter=Q(status=Conversation.Status.CLOSED)),
    )
    waiting = conversation_waiting_filter(Conversation.objects.all()).count()
    return InboxCounts(open=counts["open"], closed=counts["closed"], waiting=waiting)


# --- a message's delivery state, in words ----------------------------------------------------


@dataclass(frozen=True)
class DeliveryState:
    """How far a message got: `kind` for styling, `label` for the seller, `at` when known."""

    kind: str
    label: str
    at: datetime | None = None


def chat_delivery_state(*, chat: Chat, client: Client, sender_verified: bool) -> DeliveryState:
    """One message's state as the seller reads it; times in the client's timezone."""
    if chat.author_kind == Chat.Author.CLIENT:
        return DeliveryState("received", "From the client", chat.created_at)
    if chat.status == Chat.Status.SENT:
        return DeliveryState("sent", "Sent", chat.sent_at)
    if chat.status == Chat.Status.FAILED:
        if chat.last_error == UNSUBSCRIBED_NOTE:
            return DeliveryState("unsubscribed", "Client unsubscribed: not sent")
        return DeliveryState("failed", "Failed")
    # queued, or sending (one SMTP call long: still queued to the reader)
    if not sender_verified:
        return DeliveryState("held", "Held: verify your account")
    if chat.held == Chat.Held.DAILY_QUOTA:
        return DeliveryState("held", "Held: daily limit reached", chat.next_attempt_at)
    moment = chat.next_attempt_at or chat.scheduled_for
    local = moment.astimezone(ZoneInfo(client.timezone))
    label = f"Scheduled for {local:%H:%M} the client's time"
    if chat.attempts:
        label += " (trying again after a failed attempt)"
    return DeliveryState("scheduled", label, moment)
