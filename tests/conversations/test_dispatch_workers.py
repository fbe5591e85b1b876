"""Two real Celery workers run the store's hourly job at the same moment: one e-mail each, and
never more than the store's daily quota."""

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

from saas.celery import app
from shared_apps.accounts.models import Seller
from tenant_apps.conversations.models import Chat, MailQuotaDay
from tenant_apps.conversations.services import (
    client_create,
    conversation_create,
    operator_ensure,
)
from tenant_apps.conversations.window import window_contains
from tests.support.live import live_environment
from tests.support.stores import in_store

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 400


def _workers_start(**environment):
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "saas",
                "worker",
                "--pool=solo",
                f"--hostname=dispatch{n}@%h",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=live_environment(**environment),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in (1, 2)
    ]
    # Both must be consuming before the job is published, or one would take both runs.
    deadline = time.time() + 60
    while len(app.control.ping(timeout=0.5) or []) < 2 and time.time() < deadline:
        time.sleep(0.2)
    return processes


def _workers_stop(processes):
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def two_workers(transactional_db):
    # More than the messages of the test: this one is about sending each exactly once.
    processes = _workers_start(CONVERSATION_DAILY_MAIL_QUOTA=MESSAGES * 2)
    yield processes
    _workers_stop(processes)


QUOTA = 150


@pytest.fixture
def two_workers_with_a_quota(transactional_db):
    processes = _workers_start(CONVERSATION_DAILY_MAIL_QUOTA=QUOTA)
    yield processes
    _workers_stop(processes)


def _due_messages(store, zone: str, count: int) -> None:
    now = datetime.now(UTC)
    with in_store(store):
        operator = operator_ensure(seller=Seller.objects.get(pk=store.owner_id))
        client = client_create(name="Dana", email="dana@example.com", timezone=zone)
        conversation = conversation_create(client=client, operator=operator)
        due = now - timedelta(hours=1)
        Chat.objects.bulk_create(
            Chat(
                conversation=conversation,
                author=operator,
                author_kind="operator",
                payload=f"Message {n}",
                rendered=f"Message {n}",
                created_at=due,
                scheduled_for=due,
                next_attempt_at=due,
            )
            for n in range(count)
        )


def _zone_open_for_a_while() -> str:
    now = datetime.now(UTC)
    zones = ["America/Los_Angeles", "Europe/London", "Asia/Tokyo", "Asia/Kolkata"]
    return next(
        z
        for z in zones
        if window_contains(moment=now, timezone=z)
        and window_contains(moment=now + timedelta(minutes=5), timezone=z)
    )


def _beat_runs_the_job_twice(store) -> None:
    """What beat does when the schedule is due, twice at once (e.g. two beat instances)."""
    periodic_task = PeriodicTask.objects.get(
        store_schedule__store=store, store_schedule__key="conversation-mail-dispatch"
    )
    app.conf.task_always_eager = False
    try:
        scheduler = DatabaseScheduler(app=app, lazy=True)
        scheduler.apply_async(ModelEntry(periodic_task, app=app))
        scheduler.apply_async(ModelEntry(periodic_task, app=app))
    finally:
        app.conf.task_always_eager = True


@pytest.mark.slow
def test_two_workers_running_the_job_send_each_message_once(make_store, two_workers):
    store = make_store(name="Two Workers", timezone="UTC")
    _due_messages(store, _zone_open_for_a_while(), MESSAGES)

    _beat_runs_the_job_twice(store)

    deadline = time.time() + 90
    with in_store(store):
        while Chat.objects.exclude(status="sent").exists() and time.time() < deadline:
            time.sleep(0.3)
        outcome = sorted(set(Chat.objects.values_list("status", "attempts")))
    # Every message was claimed once (attempts counts claims) and sent.
    assert outcome == [("sent", 1)]


@pytest.mark.slow
def test_two_workers_running_the_job_stop_at_the_daily_quota(make_store, two_workers_with_a_quota):
    zone = _zone_open_for_a_while()
    # The store's day is the client's: the run cannot straddle the store's midnight.
    store = make_store(name="Quota Workers", timezone=zone)
    _due_messages(store, zone, MESSAGES)

    _beat_runs_the_job_twice(store)

    deadline = time.time() + 90
    with in_store(store):
        while time.time() < deadline and (
            Chat.objects.filter(status="sent").count()
            + Chat.objects.filter(status="queued", held="daily_quota").count()
            < MESSAGES
        ):
            time.sleep(0.3)
        outcome = sorted(Chat.objects.values_list("status", "held", "attempts"))
        counted = list(MailQuotaDay.objects.values_list("sent", flat=True))
    assert outcome.count(("sent", "", 1)) == QUOTA
    assert outcome.count(("queued", "daily_quota", 0)) == MESSAGES - QUOTA
    assert counted == [QUOTA]
