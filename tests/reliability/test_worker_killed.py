"""A worker killed in the middle of the mail dispatch: no message is lost and none is
e-mailed twice (acks late, one claimed message at a time)."""

import re
import signal
import time
import zoneinfo
from datetime import datetime
from pathlib import Path

import pytest
from django_celery_beat.models import PeriodicTask

from tenant_apps.conversations.models import Chat
from tenant_apps.conversations.services import (
    chat_create,
    client_create,
    conversation_create,
    operator_ensure,
)
from tests.support.live import celery_worker, run_schedule_now
from tests.support.stores import in_store
from tests.support.times import timezone_inside_the_window

pytestmark = pytest.mark.slow  # Celery workers, one of them killed

MESSAGES = 60


def emailed_chat_ids(folder: Path) -> list[int]:
    text = "".join(path.read_text() for path in folder.glob("*"))
    return [int(found) for found in re.findall(r"^X-Seller-Suite-Chat: (\d+)$", text, re.M)]


def wait_until(condition, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_killed_worker_loses_nothing_and_sends_nothing_twice(make_store, tmp_path):
    store = make_store("Killed worker")
    zone = timezone_inside_the_window()
    # Written before today's window opened, so every message is due now and waits for the job.
    early = datetime.now(zoneinfo.ZoneInfo(zone)).replace(hour=5, minute=0)
    with in_store(store):
        operator = operator_ensure(seller=store.owner)
        client = client_create(name="Ravi", email="ravi@example.com", timezone=zone)
        conversation = conversation_create(client=client, operator=operator, now=early)
        chat_ids = [
            chat_create(conversation_id=conversation.pk, user_id=operator.pk,
                        payload=f"Message {n}", now=early).pk
            for n in range(MESSAGES)
        ]  # fmt: skip
    dispatch = PeriodicTask.objects.get(
        store_schedule__store=store, store_schedule__key="conversation-mail-dispatch"
    )
    mail = {"TEST_EMAIL_BACKEND": "tests.reliability.slow_mail.SlowFileEmailBackend",
            "TEST_EMAIL_FILE_PATH": str(tmp_path)}  # fmt: skip

    with celery_worker(**mail) as first:
        run_schedule_now(dispatch)
        wait_until(lambda: len(emailed_chat_ids(tmp_path)) >= 10)
        first.send_signal(signal.SIGKILL)  # mid-dispatch, no chance to clean up
        first.wait(timeout=10)
    sent_by_first = len(emailed_chat_ids(tmp_path))

    with celery_worker(**mail):
        run_schedule_now(dispatch)  # the next hourly run

        def nothing_queued():
            with in_store(store):
                return not Chat.objects.filter(pk__in=chat_ids, status="queued").exists()

        wait_until(nothing_queued)

    emailed = emailed_chat_ids(tmp_path)
    with in_store(store):
        statuses = dict(Chat.objects.filter(pk__in=chat_ids).values_list("pk", "status"))
    in_doubt = [pk for pk, status in statuses.items() if status == "sending"]
    assert MESSAGES > sent_by_first >= 10  # the kill really came mid-dispatch
    assert len(emailed) == len(set(emailed))  # nothing e-mailed twice
    assert len(in_doubt) <= 1  # at most the message being sent at the kill is in doubt
    assert {pk for pk, status in statuses.items() if status == "sent"} | set(in_doubt) == set(
        chat_ids
    )  # nothing lost
    assert set(emailed) - set(in_doubt) == {pk for pk, s in statuses.items() if s == "sent"}
