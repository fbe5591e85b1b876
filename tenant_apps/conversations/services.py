"""Every write of the conversations tool.

Time is injectable: each service that depends on the clock takes `now=None` (default: the
real clock), so tests pin 08:59 or a DST morning without patching anything.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone as django_timezone

from saas.tasks import enqueue_on_commit
from saas.validation import phone_to_e164, timezone_is_valid
from shared_apps.accounts.models import Seller

from . import events
from .client_codes import discount_code_set  # noqa: F401  (callers give codes through here)
from .errors import ConversationError, ConversationsErrorCode
from .mail import chat_email
from .models import Chat, Client, Conversation, Operator
from .payload import (
    PLACEHOLDER_DISCOUNT_CODE,
    PLACEHOLDER_USERNAME,
    ParsedPayload,
    payload_parse,
    payload_render,
)
from .quota import quota_give_back, quota_is_used_up, quota_next_day_start, quota_take
from .selectors import (
    UNSUBSCRIBED_NOTE,
    client_discount_code,
    client_for_unsubscribe_link,
    client_get,
    operator_get,
    operator_list,
    store_mail_sender_verified,
)
from .window import window_contains, window_next_start, window_send_at

logger = logging.getLogger(__name__)

# Retry policy (the one exception to the project's Celery autoretry): a failed e-mail is tried
# again after 1, 2, 4, 8 minutes and the fifth failure is final, counted in PostgreSQL
# (`Chat.attempts`, `Chat.next_attempt_at`), not by Celery. The retry must survive a broker
# outage: a retry task lost with the broker is harmless, because the hourly dispatch job picks
# every queued, due message up from the database. The task below is only the fast path.
SEND_MAX_ATTEMPTS = 5
SEND_BACKOFF_BASE_SECONDS = 60
# A row still "sending" after this long was cut off mid-send (worker killed). Whether the
# e-mail left is unknown, so it is marked failed instead of sent again: never twice.
SENDING_STALE_AFTER = timedelta(minutes=15)
# One message per claim: a worker killed mid-dispatch then leaves at most the one message it
# was sending in doubt; everything it had not reached is still "queued" for the next run.
DISPATCH_BATCH_SIZE = 1

# Registered in tasks.py; named here so this module never imports the task module.
CHAT_SEND_TASK = "tenant_apps.conversations.tasks.chat_send_task"


def _now(now: datetime | None) -> datetime:
    return now or django_timezone.now()


# --- operators and clients ---------------------------------------------------------------


def operator_ensure(*, seller: Seller) -> Operator:
    """The caller's operator row in this store, made the first time they take part."""
    name = (seller.name or seller.email or seller.mobile or f"Seller {seller.pk}")[:120]
    operator = Operator.objects.filter(seller_id=seller.pk).first()
    if operator is None:
        try:
            with transaction.atomic():
                return Operator.objects.create(seller=seller, name=name, email=seller.email or "")
        except IntegrityError:
            # Two first requests at once: the other one made it.
            return Operator.objects.get(seller_id=seller.pk)
    if operator.name != name or operator.email != (seller.email or ""):
        operator.name, operator.email = name, seller.email or ""
        operator.save(update_fields=["name", "email"])
    return operator


def operator_list_joining(*, seller: Seller) -> QuerySet[Operator]:
    """The store's operators, the caller among them: listing makes the caller an operator, so
    their own id is always there to use."""
    operator_ensure(seller=seller)
    return operator_list()


def _timezone_check(value: str) -> str:
    if not timezone_is_valid(value):
        raise ConversationError(
            f"{value!r} is not an IANA timezone.", code=ConversationsErrorCode.INVALID_TIMEZONE
        )
    return value


def _mobile_check(value: str) -> str:
    """E.164, normalised like the storefront's OTP login, so the two match by plain equality."""
    mobile = phone_to_e164(value)
    if mobile is None:
        raise ConversationError(
            "Give the mobile number in international format, like +919876543210.",
            code=ConversationsErrorCode.INVALID_MOBILE,
        )
    return mobile


def _client_exists() -> ConversationError:
    return ConversationError(
        "A client with this e-mail already exists.", code=ConversationsErrorCode.CLIENT_EXISTS
    )


@transaction.atomic
def client_create(*, name: str, email: str, timezone: str, mobile: str = "") -> Client:
    name = name.strip()
    if not name:
        raise ConversationError("A client needs a name.", code=ConversationsErrorCode.INVALID_NAME)
    email = email.strip().lower()
    _timezone_check(timezone)
    if mobile:
        mobile = _mobile_check(mobile)
    if Client.objects.filter(email__iexact=email).exists():
        raise _client_exists()
    try:
        with transaction.atomic():
            return Client.objects.create(name=name, email=email, timezone=timezone, mobile=mobile)
    except IntegrityError as error:
        raise _client_exists() from error


@transaction.atomic
def client_unsubscribe(*, token: str, now: datetime | None = None) -> Client:
    """The one-click unsubscribe of our e-mails: the store mails this client no more.

    Messages still waiting for them are failed (never sent); unsubscribing twice changes
    nothing. An altered, expired or other store's link raises and changes nothing.
    """
    client = client_for_unsubscribe_link(token=token)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.unsubscribed_at is None:
        client.unsubscribed_at = _now(now)
        client.save(update_fields=["unsubscribed_at"])
        Chat.objects.filter(conversation__client=client, status=Chat.Status.QUEUED).update(
            status=Chat.Status.FAILED, held="", last_error=UNSUBSCRIBED_NOTE
        )
    return client


# --- conversations -----------------------------------------------------------------------


@transaction.atomic
def conversation_create(
    *, client: Client, operator: Operator, now: datetime | None = None
) -> Conversation:
    conversation = Conversation.objects.create(
        client=client, operator=operator, created_at=_now(now)
    )
    events.conversation_opened_emit(conversation=conversation)
    return conversation


@transaction.atomic
def conversation_open(
    *, seller: Seller, client_id: int, operator_id: int | None = None, now: datetime | None = None
) -> Conversation:
    """Open a conversation with a client; without `operator_id` the caller is the operator."""
    client = client_get(client_id=client_id)
    if operator_id is None:
        operator = operator_ensure(seller=seller)
    else:
        operator = operator_get(operator_id=operator_id)
    return conversation_create(client=client, operator=operator, now=now)


@transaction.atomic
def conversation_close(*, conversation: Conversation, now: datetime | None = None) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == Conversation.Status.CLOSED:
        raise ConversationError(
            "The conversation is already closed.", code=ConversationsErrorCode.CONVERSATION_CLOSED
        )
    conversation.status = Conversation.Status.CLOSED
    conversation.closed_at = _now(now)
    conversation.save(update_fields=["status", "closed_at"])
    events.conversation_closed_emit(conversation=conversation)
    return conversation


# --- chats -------------------------------------------------------------------------------


def _placeholder_values(*, client: Client, placeholders: frozenset[str]) -> dict[str, str]:
    values = {PLACEHOLDER_USERNAME: client.name}
    if PLACEHOLDER_DISCOUNT_CODE in placeholders:
        discount = client_discount_code(client=client)
        if discount is None:
            raise ConversationError(
                "The client has no active discount code for {{ discountCode }}.",
                code=ConversationsErrorCode.DISCOUNT_CODE_MISSING,
            )
        values[PLACEHOLDER_DISCOUNT_CODE] = discount.code
    return values


def _conversation_lock_open(*, conversation_id: int) -> Conversation:
    conversation = (
        # Locks the conversation only (a close waits for a message being written, and back).
        Conversation.objects.select_for_update(of=("self",))
        .select_related("client", "operator")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise ConversationError(
            "No such conversation.", code=ConversationsErrorCode.CONVERSATION_NOT_FOUND
        )
    if conversation.status == Conversation.Status.CLOSED:
        raise ConversationError(
            "The conversation is closed.", code=ConversationsErrorCode.CONVERSATION_CLOSED
        )
    return conversation


def _author_kind(*, conversation: Conversation, user_id: int) -> str:
    if user_id == conversation.operator_id:
        return Chat.Author.OPERATOR
    if user_id == conversation.client_id:
        return Chat.Author.CLIENT
    raise ConversationError(
        "userId must be the conversation's operator or its client.",
        code=ConversationsErrorCode.INVALID_USER,
        details={"operator_id": conversation.operator_id, "client_id": conversation.client_id},
    )


def chat_rules_check(
    *, conversation: Conversation, user_id: int, payload: str
) -> tuple[ParsedPayload, str, str]:
    """Every rule a message must pass in this conversation: (parsed, author kind, rendered)."""
    parsed = payload_parse(payload)
    if conversation.status == Conversation.Status.CLOSED:
        raise ConversationError(
            "The conversation is closed.", code=ConversationsErrorCode.CONVERSATION_CLOSED
        )
    author_kind = _author_kind(conversation=conversation, user_id=user_id)
    client = conversation.client
    if author_kind == Chat.Author.OPERATOR and client.unsubscribed_at is not None:
        raise ConversationError(
            "The client unsubscribed from this store's e-mails.",
            code=ConversationsErrorCode.CLIENT_UNSUBSCRIBED,
            details={"unsubscribed_at": client.unsubscribed_at.isoformat()},
        )
    rendered = payload_render(
        parsed, values=_placeholder_values(client=client, placeholders=parsed.placeholders)
    )
    return parsed, author_kind, rendered


@transaction.atomic
def chat_create(
    *, conversation_id: int, user_id: int, payload: str, now: datetime | None = None
) -> Chat:
    """Add a message. An operator's message is e-mailed at once inside the client's window,
    else queued for the next window start; a client's message is only recorded.

    An operator's message is kept queued, not sent, while the store owner is not verified
    (read live: `held` "verify_account" in the answers), and waits for the next day when the
    store's daily quota is used up (`held` "daily_quota"). To an unsubscribed client: 409.
    """
    now = _now(now)
    payload_parse(payload)  # the payload's own rules first, before any lock is taken
    conversation = _conversation_lock_open(conversation_id=conversation_id)
    parsed, author_kind, rendered = chat_rules_check(
        conversation=conversation, user_id=user_id, payload=payload
    )
    client = conversation.client
    chat = Chat(
        conversation=conversation,
        author_id=user_id,
        author_kind=author_kind,
        payload=parsed.text,
        rendered=rendered,
        created_at=now,
    )
    if author_kind == Chat.Author.OPERATOR:
        chat.status = Chat.Status.QUEUED
        chat.scheduled_for = window_send_at(moment=now, timezone=client.timezone)
        chat.next_attempt_at = chat.scheduled_for
        if chat.scheduled_for == now and quota_is_used_up(moment=now):
            _chat_hold_for_quota(chat=chat, now=now)
    else:
        # Nothing to deliver: the client wrote it. It counts as sent the moment it arrives.
        chat.status = Chat.Status.SENT
        chat.sent_at = now
    chat.save()
    if (
        author_kind == Chat.Author.OPERATOR
        and chat.next_attempt_at == now
        and store_mail_sender_verified()
    ):
        # A broker outage leaves the message queued for the hourly job instead of failing here.
        enqueue_on_commit(CHAT_SEND_TASK, chat_id=chat.pk)
    events.chat_created_emit(chat=chat)
    return chat


def _chat_hold_for_quota(*, chat: Chat, now: datetime) -> None:
    """The store's mail quota of today is used up: wait for the client's first window moment
    of the store's next day (the row is saved by the caller)."""
    chat.held = Chat.Held.DAILY_QUOTA
    chat.next_attempt_at = window_send_at(
        moment=quota_next_day_start(now), timezone=chat.conversation.client.timezone
    )


@dataclass
class DispatchResult:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)
    # Due but kept: the store owner is not verified (left as they are, due).
    held_for_verification: list[int] = field(default_factory=list)
    # Due but the store's quota of the day is used up (moved to the next day).
    held_for_quota: list[int] = field(default_factory=list)
    # Found waiting for a client who unsubscribed (failed, never sent).
    unsubscribed: list[int] = field(default_factory=list)


def _due_chats(*, now: datetime):
    return Chat.objects.filter(status=Chat.Status.QUEUED, next_attempt_at__lte=now)


def chat_mail_dispatch(
    *, now: datetime | None = None, batch_size: int = DISPATCH_BATCH_SIZE
) -> DispatchResult:
    """The hourly job: e-mail every due message, each exactly once, batch after batch."""
    now = _now(now)
    result = DispatchResult()
    result.interrupted = _chats_interrupted_fail(now=now)
    if not store_mail_sender_verified():
        result.held_for_verification = list(
            _due_chats(now=now).order_by("pk").values_list("pk", flat=True)
        )
        return result
    while True:
        claimed, seen = _chats_claim(now=now, limit=batch_size, result=result)
        if not seen:
            return result
        for chat in claimed:
            _chat_deliver(chat=chat, now=now, result=result)


def chat_send(*, chat_id: int, now: datetime | None = None) -> DispatchResult:
    """Send one message if it is due and nobody else holds it (safe to run any number of times)."""
    now = _now(now)
    result = DispatchResult()
    if not store_mail_sender_verified():
        result.held_for_verification = list(
            _due_chats(now=now).filter(pk=chat_id).values_list("pk", flat=True)
        )
        return result
    claimed, _ = _chats_claim(now=now, limit=1, result=result, chat_id=chat_id)
    for chat in claimed:
        _chat_deliver(chat=chat, now=now, result=result)
    return result


def _chats_claim(
    *, now: datetime, limit: int, result: DispatchResult, chat_id: int | None = None
) -> tuple[list[Chat], int]:
    """Move due rows queued -> sending in one committed transaction; returns the claimed rows
    and how many due rows were looked at (each one claimed, moved later, or failed).

    SKIP LOCKED lets a second dispatcher pass over rows the first one holds; once the first
    commits, the rows are no longer "queued", so nobody claims them again. The day's quota is
    counted in the same transaction (quota.py), so it holds with any number of dispatchers.
    """
    with transaction.atomic():
        due = (
            _due_chats(now=now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("conversation__client")
            .order_by("next_attempt_at", "id")
        )
        if chat_id is not None:
            due = due.filter(pk=chat_id)
        rows = list(due[:limit])
        claimed = [chat for chat in rows if _chat_claim(chat=chat, now=now, result=result)]
    return claimed, len(rows)


def _chat_claim(*, chat: Chat, now: datetime, result: DispatchResult) -> bool:
    """Claim one locked, due row for sending now, or say why it waits (False)."""
    client = chat.conversation.client
    if client.unsubscribed_at is not None:
        Chat.objects.filter(pk=chat.pk).update(
            status=Chat.Status.FAILED, held="", last_error=UNSUBSCRIBED_NOTE
        )
        result.unsubscribed.append(chat.pk)
        return False
    if not window_contains(moment=now, timezone=client.timezone):
        # Due but outside the window (a late task, a retry past 20:00, a client who
        # moved): wait for the next window.
        next_window = window_next_start(moment=now, timezone=client.timezone)
        Chat.objects.filter(pk=chat.pk).update(next_attempt_at=next_window)
        result.deferred.append(chat.pk)
        return False
    if not quota_take(moment=now):
        _chat_hold_for_quota(chat=chat, now=now)
        Chat.objects.filter(pk=chat.pk).update(held=chat.held, next_attempt_at=chat.next_attempt_at)
        result.held_for_quota.append(chat.pk)
        return False
    # attempts is added in SQL: it counts claims exactly, whatever was read.
    Chat.objects.filter(pk=chat.pk).update(
        status=Chat.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, held=""
    )
    chat.status, chat.claimed_at, chat.attempts = Chat.Status.SENDING, now, chat.attempts + 1
    return True


def _chat_deliver(*, chat: Chat, now: datetime, result: DispatchResult) -> None:
    try:
        chat_email(chat=chat).send(fail_silently=False)
    except Exception as error:  # any backend failure is recorded and retried
        logger.warning("Chat %s: e-mail failed (attempt %s): %s", chat.pk, chat.attempts, error)
        _chat_send_failed(chat=chat, now=now, error=error, result=result)
        return
    Chat.objects.filter(pk=chat.pk, status=Chat.Status.SENDING).update(
        status=Chat.Status.SENT, sent_at=now, last_error=""
    )
    result.sent.append(chat.pk)


def _chat_send_failed(
    *, chat: Chat, now: datetime, error: Exception, result: DispatchResult
) -> None:
    error_text = f"{type(error).__name__}: {error}"[:1000]
    # Nothing left: the attempt gives its place in the day's quota back.
    quota_give_back(moment=chat.claimed_at)
    if chat.attempts >= SEND_MAX_ATTEMPTS:
        Chat.objects.filter(pk=chat.pk, status=Chat.Status.SENDING).update(
            status=Chat.Status.FAILED, last_error=error_text
        )
        result.failed.append(chat.pk)
        return
    delay = timedelta(seconds=SEND_BACKOFF_BASE_SECONDS * 2 ** (chat.attempts - 1))
    retry_at = window_send_at(moment=now + delay, timezone=chat.conversation.client.timezone)
    with transaction.atomic():
        Chat.objects.filter(pk=chat.pk, status=Chat.Status.SENDING).update(
            status=Chat.Status.QUEUED, next_attempt_at=retry_at, last_error=error_text
        )

        countdown = max(1, int((retry_at - now).total_seconds()))
        enqueue_on_commit(CHAT_SEND_TASK, chat_id=chat.pk, countdown=countdown)
    result.retrying.append(chat.pk)


def _chats_interrupted_fail(*, now: datetime) -> list[int]:
    with transaction.atomic():
        stale = list(
            Chat.objects.select_for_update(skip_locked=True)
            .filter(status=Chat.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER)
            .values_list("pk", flat=True)
        )
        Chat.objects.filter(pk__in=stale).update(
            status=Chat.Status.FAILED,
            last_error="Interrupted while sending; not sent again so it cannot arrive twice.",
        )
    return stale
