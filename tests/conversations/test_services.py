"""Chats: who may write, rendering, scheduling in the client's window, dispatch and retries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from saas.api.errors import ApplicationError
from saas.tasks import QueuedTask
from tenant_apps.conversations.models import Chat, Conversation, Operator
from tenant_apps.conversations.services import (
    SEND_MAX_ATTEMPTS,
    chat_create,
    chat_mail_dispatch,
    chat_send,
    client_create,
    conversation_close,
    conversation_create,
    discount_code_set,
    operator_ensure,
)
from tenant_apps.conversations.tasks import chat_send_task
from tests.conversations.mail_backends import FlakyEmailBackend
from tests.support.mail_safety import chat_text, unsubscribe_url
from tests.support.times import local, utc

KOLKATA = "Asia/Kolkata"
NEW_YORK = "America/New_York"
PAYLOAD = "Sure {{ username }}. Here is your code {{ discountCode }}"


def test_operator_is_made_once_per_seller(in_alpha, seller_a):
    first = operator_ensure(seller=seller_a)
    second = operator_ensure(seller=seller_a)
    assert first.pk == second.pk
    assert Operator.objects.count() == 1
    assert first.kind == "operator"


def test_operator_and_client_ids_never_collide(operator_a, client_kolkata, client_new_york):
    ids = [operator_a.pk, client_kolkata.pk, client_new_york.pk]
    assert len(set(ids)) == 3


def test_operator_message_is_rendered_and_stored(conversation_kolkata, operator_a):
    now = local(KOLKATA, 2026, 3, 9, 10, 0)

    chat = chat_create(
        conversation_id=conversation_kolkata.pk, user_id=operator_a.pk, payload=PAYLOAD, now=now
    )

    chat.refresh_from_db()
    assert chat.payload == PAYLOAD
    assert chat.rendered == "Sure Asha Rao. Here is your code ASHA10"
    assert chat.author_kind == "operator"
    assert chat.status == "queued"
    assert chat.scheduled_for == now
    assert chat.created_at == now
    assert chat.sent_at is None


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        ((2026, 3, 9, 8, 59), utc(2026, 3, 9, 3, 30)),
        ((2026, 3, 9, 9, 0), utc(2026, 3, 9, 3, 30)),
        ((2026, 3, 9, 19, 59), utc(2026, 3, 9, 14, 29)),
        ((2026, 3, 9, 20, 0), utc(2026, 3, 10, 3, 30)),
    ],
)
def test_kolkata_client_window_boundaries(conversation_kolkata, operator_a, wall, expected):
    chat = chat_create(
        conversation_id=conversation_kolkata.pk,
        user_id=operator_a.pk,
        payload="Hello {{ username }}",
        now=local(KOLKATA, *wall),
    )
    assert chat.scheduled_for == expected


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        ((2026, 7, 1, 8, 59), utc(2026, 7, 1, 13, 0)),
        ((2026, 7, 1, 9, 0), utc(2026, 7, 1, 13, 0)),
        ((2026, 7, 1, 19, 59), utc(2026, 7, 1, 23, 59)),
        ((2026, 7, 1, 20, 0), utc(2026, 7, 2, 13, 0)),
        # The evening before spring-forward: next morning is EDT, one hour earlier in UTC.
        ((2026, 3, 7, 20, 0), utc(2026, 3, 8, 13, 0)),
        # The evening before fall-back: next morning is EST.
        ((2026, 10, 31, 20, 0), utc(2026, 11, 1, 14, 0)),
    ],
)
def test_new_york_client_window_and_dst(conversation_new_york, operator_a, wall, expected):
    chat = chat_create(
        conversation_id=conversation_new_york.pk,
        user_id=operator_a.pk,
        payload="Hello {{ username }}",
        now=local(NEW_YORK, *wall),
    )
    assert chat.scheduled_for == expected
    assert chat.status == "queued"


def _send_tasks(callbacks) -> list[int]:
    """Chat ids handed to the send task by the captured on-commit callbacks."""
    return [
        c.kwargs["chat_id"]
        for c in callbacks
        if isinstance(c, QueuedTask) and c.name == chat_send_task.name
    ]


def test_message_inside_window_is_handed_to_a_task_at_once(
    conversation_kolkata, operator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        chat = chat_create(
            conversation_id=conversation_kolkata.pk,
            user_id=operator_a.pk,
            payload="Hi",
            now=local(KOLKATA, 2026, 3, 9, 12, 0),
        )
    assert _send_tasks(callbacks) == [chat.pk]


def test_message_outside_window_waits_without_a_task(
    conversation_kolkata, operator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        chat_create(
            conversation_id=conversation_kolkata.pk,
            user_id=operator_a.pk,
            payload="Hi",
            now=local(KOLKATA, 2026, 3, 9, 22, 0),
        )
    assert _send_tasks(callbacks) == []


def test_client_message_is_recorded_not_emailed(conversation_kolkata, client_kolkata):
    now = local(KOLKATA, 2026, 3, 9, 23, 0)

    chat = chat_create(
        conversation_id=conversation_kolkata.pk,
        user_id=client_kolkata.pk,
        payload="Thanks {{ username }}!",
        now=now,
    )

    assert chat.author_kind == "client"
    assert chat.rendered == "Thanks Asha Rao!"
    assert chat.status == "sent"
    assert chat.sent_at == now
    assert chat.scheduled_for is None
    assert chat_mail_dispatch(now=now + timedelta(days=1)).sent == []
    assert mail.outbox == []


def _error_of(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as raised:
        call()
    return raised.value


def test_user_must_be_the_operator_or_the_client(
    conversation_kolkata, client_new_york, operator_a, seller_b, in_alpha
):
    other_operator = operator_ensure(seller=seller_b)
    for user_id in (client_new_york.pk, other_operator.pk, 10**9):
        error = _error_of(
            lambda uid=user_id: chat_create(
                conversation_id=conversation_kolkata.pk, user_id=uid, payload="Hi"
            )
        )
        assert (error.code, error.status_code) == ("invalid_user", 400)
    assert Chat.objects.count() == 0


def test_closed_conversation_refuses_messages(conversation_kolkata, operator_a):
    conversation_close(conversation=conversation_kolkata)

    error = _error_of(
        lambda: chat_create(
            conversation_id=conversation_kolkata.pk, user_id=operator_a.pk, payload="Hi"
        )
    )

    assert (error.code, error.status_code) == ("conversation_closed", 409)
    assert Chat.objects.count() == 0


def test_unknown_conversation_is_404(in_alpha, operator_a):
    error = _error_of(lambda: chat_create(conversation_id=999, user_id=operator_a.pk, payload="x"))
    assert (error.code, error.status_code) == ("conversation_not_found", 404)


def test_discount_code_placeholder_needs_an_active_code(conversation_new_york, operator_a):
    error = _error_of(
        lambda: chat_create(
            conversation_id=conversation_new_york.pk, user_id=operator_a.pk, payload=PAYLOAD
        )
    )
    assert (error.code, error.status_code) == ("discount_code_missing", 400)
    assert Chat.objects.count() == 0


def test_only_the_active_discount_code_is_rendered(conversation_kolkata, client_kolkata):
    discount_code_set(client=client_kolkata, code="SPRING25")

    chat = chat_create(
        conversation_id=conversation_kolkata.pk,
        user_id=conversation_kolkata.operator_id,
        payload="{{discountCode}}",
    )

    assert chat.rendered == "SPRING25"
    assert list(
        client_kolkata.discount_codes.order_by("discount__code").values_list(
            "discount__code", "discount__is_active"
        )
    ) == [("ASHA10", False), ("SPRING25", True)]


def test_closing_twice_is_a_conflict(conversation_kolkata):
    conversation_close(conversation=conversation_kolkata)
    error = _error_of(lambda: conversation_close(conversation=conversation_kolkata))
    assert (error.code, error.status_code) == ("conversation_closed", 409)
    assert Conversation.objects.get().status == "closed"


@pytest.mark.parametrize(
    ("kwargs", "code", "status"),
    [
        ({"timezone": "Mars/Olympus"}, "invalid_timezone", 400),
        ({"timezone": "+05:30"}, "invalid_timezone", 400),
        ({"mobile": "12345"}, "invalid_mobile", 400),
        ({"email": "ASHA@example.com"}, "client_exists", 409),
        ({"name": "   "}, "invalid_name", 400),
    ],
)
def test_client_create_rules(client_kolkata, kwargs, code, status):
    fields = {"name": "Other", "email": "other@example.com", "timezone": "UTC"} | kwargs
    error = _error_of(lambda: client_create(**fields))
    assert (error.code, error.status_code) == (code, status)


def test_client_mobile_is_normalised_like_storefront_login(in_alpha):
    client = client_create(
        name="Chetan", email="c@example.com", timezone=KOLKATA, mobile="+91 98111 22222"
    )
    assert client.mobile == "+919811122222"


# --- dispatch ----------------------------------------------------------------------------


def _operator_chat(conversation, *, now, payload="Hello {{ username }}") -> Chat:
    return chat_create(
        conversation_id=conversation.pk,
        user_id=conversation.operator_id,
        payload=payload,
        now=now,
    )


def test_dispatch_sends_due_messages_once_and_leaves_others(
    conversation_kolkata, conversation_new_york
):
    written = utc(2026, 3, 9, 1, 0)  # 06:30 IST, 21:00 EDT the evening before
    kolkata_chat = _operator_chat(conversation_kolkata, now=written)
    new_york_chat = _operator_chat(conversation_new_york, now=written)
    assert kolkata_chat.scheduled_for == utc(2026, 3, 9, 3, 30)
    assert new_york_chat.scheduled_for == utc(2026, 3, 9, 13, 0)

    # The hourly job at 04:00 UTC: Kolkata's window is open, New York's is not yet due.
    first = chat_mail_dispatch(now=utc(2026, 3, 9, 4, 0))
    again = chat_mail_dispatch(now=utc(2026, 3, 9, 4, 0))

    assert first.sent == [kolkata_chat.pk]
    assert again.sent == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asha@example.com"]
    assert chat_text(message) == "Hello Asha Rao"
    assert message.body == (
        "Hello Asha Rao\n"
        "\n"
        "-- \n"
        "You receive this because you are a client of Alpha.\n"
        "To get no more e-mails from Alpha, unsubscribe with one click:\n"
        f"{unsubscribe_url(message)}\n"
    )
    assert unsubscribe_url(message).startswith("http://alpha.localhost:8000/unsubscribe/")
    assert message.subject == "A message from Alpha"
    kolkata_chat.refresh_from_db()
    new_york_chat.refresh_from_db()
    assert (kolkata_chat.status, kolkata_chat.sent_at) == ("sent", utc(2026, 3, 9, 4, 0))
    assert kolkata_chat.attempts == 1
    assert (new_york_chat.status, new_york_chat.sent_at) == ("queued", None)

    # 13:00 UTC is 09:00 EDT.
    later = chat_mail_dispatch(now=utc(2026, 3, 9, 13, 0))
    assert later.sent == [new_york_chat.pk]
    assert [m.to for m in mail.outbox] == [["asha@example.com"], ["ben@example.com"]]


def test_send_task_retried_never_sends_twice(conversation_kolkata):
    now = local(KOLKATA, 2026, 3, 9, 11, 0)
    chat = _operator_chat(conversation_kolkata, now=now)

    assert chat_send(chat_id=chat.pk, now=now).sent == [chat.pk]
    assert chat_send(chat_id=chat.pk, now=now).sent == []
    assert chat_mail_dispatch(now=now).sent == []
    assert len(mail.outbox) == 1


def test_a_due_message_outside_the_window_waits_for_the_next_one(conversation_new_york):
    chat = _operator_chat(conversation_new_york, now=local(NEW_YORK, 2026, 7, 1, 10, 0))

    # The task only runs at 20:30 local (a backlog): too late today.
    result = chat_send(chat_id=chat.pk, now=local(NEW_YORK, 2026, 7, 1, 20, 30))

    chat.refresh_from_db()
    assert result.deferred == [chat.pk]
    assert (chat.status, chat.next_attempt_at) == ("queued", utc(2026, 7, 2, 13, 0))
    assert mail.outbox == []
    assert chat_mail_dispatch(now=utc(2026, 7, 2, 13, 0)).sent == [chat.pk]


def test_failing_backend_is_retried_with_backoff_and_recorded(
    conversation_kolkata, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.conversations.mail_backends.FlakyEmailBackend"
    FlakyEmailBackend.failures_left = 2
    now = local(KOLKATA, 2026, 3, 9, 11, 0)
    chat = _operator_chat(conversation_kolkata, now=now)

    with django_capture_on_commit_callbacks() as retries:
        first = chat_mail_dispatch(now=now)
    chat.refresh_from_db()
    assert first.retrying == [chat.pk]
    assert (chat.status, chat.attempts) == ("queued", 1)
    assert chat.next_attempt_at == now + timedelta(minutes=1)
    assert chat.last_error == "ConnectionRefusedError: mail server refused the connection"
    # A send task is queued for the retry time, in this store.
    assert retries == [
        QueuedTask(
            chat_send_task.name,
            {"chat_id": chat.pk},
            countdown=60,
            schema_name=connection.schema_name,
        )
    ]

    # Not due yet: a run half a minute later does nothing.
    assert chat_mail_dispatch(now=now + timedelta(seconds=30)).retrying == []

    second = chat_mail_dispatch(now=now + timedelta(minutes=1))
    chat.refresh_from_db()
    assert second.retrying == [chat.pk]
    assert chat.attempts == 2
    assert chat.next_attempt_at == now + timedelta(minutes=1 + 2)

    third = chat_mail_dispatch(now=now + timedelta(minutes=3))
    chat.refresh_from_db()
    assert third.sent == [chat.pk]
    assert (chat.status, chat.attempts, chat.last_error) == ("sent", 3, "")
    assert chat.sent_at == now + timedelta(minutes=3)
    assert len(mail.outbox) == 1


def test_failing_backend_gives_up_after_max_attempts(conversation_kolkata, settings):
    settings.EMAIL_BACKEND = "tests.conversations.mail_backends.FlakyEmailBackend"
    FlakyEmailBackend.failures_left = 100
    now = local(KOLKATA, 2026, 3, 9, 10, 0)
    chat = _operator_chat(conversation_kolkata, now=now)

    for _ in range(SEND_MAX_ATTEMPTS + 2):
        chat_mail_dispatch(now=now)
        now += timedelta(hours=1)

    chat.refresh_from_db()
    assert chat.status == "failed"
    assert chat.attempts == SEND_MAX_ATTEMPTS
    assert chat.last_error.startswith("ConnectionRefusedError")
    assert mail.outbox == []
    FlakyEmailBackend.failures_left = 0


def test_a_retry_that_would_fall_after_20_00_waits_for_the_next_window(
    conversation_kolkata, settings
):
    settings.EMAIL_BACKEND = "tests.conversations.mail_backends.FlakyEmailBackend"
    FlakyEmailBackend.failures_left = 1
    now = local(KOLKATA, 2026, 3, 9, 19, 59, 30)
    chat = _operator_chat(conversation_kolkata, now=now)

    chat_mail_dispatch(now=now)

    chat.refresh_from_db()
    assert chat.next_attempt_at == utc(2026, 3, 10, 3, 30)


def test_interrupted_send_is_failed_not_resent(conversation_kolkata):
    now = local(KOLKATA, 2026, 3, 9, 10, 0)
    chat = _operator_chat(conversation_kolkata, now=now)
    # A worker claimed the row and died before recording the outcome.
    Chat.objects.filter(pk=chat.pk).update(status="sending", claimed_at=now, attempts=1)

    soon = chat_mail_dispatch(now=now + timedelta(minutes=5))
    later = chat_mail_dispatch(now=now + timedelta(minutes=16))

    chat.refresh_from_db()
    assert (soon.interrupted, later.interrupted) == ([], [chat.pk])
    assert chat.status == "failed"
    assert mail.outbox == []


def test_conversation_created_at_and_operator_default(in_alpha, client_new_york, seller_a):
    operator = operator_ensure(seller=seller_a)
    now = utc(2026, 1, 1, 12, 0)
    conversation = conversation_create(client=client_new_york, operator=operator, now=now)
    assert (conversation.status, conversation.created_at) == ("open", now)
