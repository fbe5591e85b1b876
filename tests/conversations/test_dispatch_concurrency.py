"""Two dispatchers at the same moment, on committed rows and separate connections: each
message once, and never more than the store's daily quota."""

import threading
from datetime import UTC, datetime, timedelta

from django.core import mail
from django.db import connection

from saas.celery import app as celery_app
from shared_apps.accounts.models import Seller
from tenant_apps.conversations.models import Chat, MailQuotaDay
from tenant_apps.conversations.services import (
    chat_create,
    chat_mail_dispatch,
    client_create,
    conversation_create,
    operator_ensure,
)
from tenant_apps.conversations.tasks import conversation_mail_dispatch_task
from tenant_apps.conversations.window import window_contains
from tenants.models import StoreSchedule
from tests.support.mail_safety import chat_text
from tests.support.stores import in_store
from tests.support.times import local

MESSAGES = 24


def _queued_chats(store, *, count: int, written) -> list[int]:
    with in_store(store):
        operator = operator_ensure(seller=Seller.objects.get(pk=store.owner_id))
        client = client_create(name="Asha", email="asha@example.com", timezone="Asia/Kolkata")
        conversation = conversation_create(client=client, operator=operator)
        return [
            chat_create(
                conversation_id=conversation.pk,
                user_id=operator.pk,
                payload=f"Message {number}",
                now=written,
            ).pk
            for number in range(count)
        ]


def test_two_dispatchers_send_each_message_exactly_once(make_store, settings):
    settings.EMAIL_BACKEND = "tests.conversations.mail_backends.SlowEmailBackend"
    store = make_store(name="Dispatch Race", timezone="Asia/Kolkata")
    # Written at 22:00 IST: all wait for the next morning, no send task is queued.
    chat_ids = _queued_chats(store, count=MESSAGES, written=local("Asia/Kolkata", 2026, 3, 9, 22))
    morning = local("Asia/Kolkata", 2026, 3, 10, 10, 0)
    mail.outbox = []
    start = threading.Barrier(2)
    results, errors = {}, []

    def dispatcher(name):
        try:
            with in_store(store):
                start.wait()
                results[name] = chat_mail_dispatch(now=morning, batch_size=3)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sent_first, sent_second = results["first"].sent, results["second"].sent
    assert set(sent_first).isdisjoint(sent_second)
    assert sorted(sent_first + sent_second) == sorted(chat_ids)
    # Both really worked at the same time (each claimed some of the batches).
    assert sent_first and sent_second
    bodies = sorted(chat_text(message) for message in mail.outbox)
    assert bodies == sorted(f"Message {number}" for number in range(MESSAGES))
    with in_store(store):
        assert set(Chat.objects.values_list("status", "attempts")) == {("sent", 1)}
        # A third run (a retried job) finds nothing left to send.
        assert chat_mail_dispatch(now=morning + timedelta(minutes=1)).sent == []
    assert len(mail.outbox) == MESSAGES


def test_hourly_job_is_scheduled_and_sends_through_the_task(make_store):
    store = make_store(name="Hourly Job", timezone="UTC")
    schedule = StoreSchedule.objects.select_related("periodic_task__crontab").get(
        store=store, key="conversation-mail-dispatch"
    )
    task_name = "tenant_apps.conversations.tasks.conversation_mail_dispatch_task"
    assert schedule.periodic_task.task == task_name
    assert (schedule.periodic_task.crontab.minute, schedule.periodic_task.crontab.hour) == (
        "0",
        "*",
    )
    assert task_name in celery_app.tasks
    # The task runs on the real clock: give the client a zone whose window is open now.
    now = datetime.now(UTC)
    zones = ["America/Los_Angeles", "Europe/London", "Asia/Tokyo", "Asia/Kolkata"]
    zone = next(z for z in zones if window_contains(moment=now, timezone=z))
    with in_store(store):
        operator = operator_ensure(seller=Seller.objects.get(pk=store.owner_id))
        client = client_create(name="Dana", email="dana@example.com", timezone=zone)
        conversation = conversation_create(client=client, operator=operator)
        # Written yesterday outside any window in this zone's terms: due long ago.
        chat = Chat.objects.create(
            conversation=conversation,
            author=operator,
            author_kind="operator",
            payload="Hello {{ username }}",
            rendered="Hello Dana",
            scheduled_for=now - timedelta(days=1),
            next_attempt_at=now - timedelta(days=1),
        )
        mail.outbox = []

        first = conversation_mail_dispatch_task.apply().get()
        second = conversation_mail_dispatch_task.apply().get()

        chat.refresh_from_db()
    assert (first["sent"], second["sent"]) == (1, 0)
    assert chat.status == "sent"
    assert [(m.to, chat_text(m)) for m in mail.outbox] == [(["dana@example.com"], "Hello Dana")]


def test_two_dispatchers_never_pass_the_daily_quota(make_store, settings):
    settings.EMAIL_BACKEND = "tests.conversations.mail_backends.SlowEmailBackend"
    settings.CONVERSATION_DAILY_MAIL_QUOTA = 10
    store = make_store(name="Quota Race", timezone="Asia/Kolkata")
    chat_ids = _queued_chats(store, count=MESSAGES, written=local("Asia/Kolkata", 2026, 3, 9, 22))
    morning = local("Asia/Kolkata", 2026, 3, 10, 10, 0)
    mail.outbox = []
    start = threading.Barrier(2)
    results, errors = {}, []

    def dispatcher(name):
        try:
            with in_store(store):
                start.wait()
                results[name] = chat_mail_dispatch(now=morning, batch_size=1)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sent = results["first"].sent + results["second"].sent
    held = results["first"].held_for_quota + results["second"].held_for_quota
    assert len(sent) == 10
    assert sorted(sent + held) == sorted(chat_ids)
    assert len(mail.outbox) == 10
    with in_store(store):
        assert MailQuotaDay.objects.get().sent == 10
        assert Chat.objects.filter(status="sent").count() == 10
        assert set(Chat.objects.exclude(status="sent").values_list("status", "held")) == {
            ("queued", "daily_quota")
        }
        # The next day the next ten go.
        next_day = chat_mail_dispatch(now=local("Asia/Kolkata", 2026, 3, 11, 10, 0))
    assert len(next_day.sent) == 10
