"""Two real Celery workers run the store's hourly job at the same moment: one e-mail each."""

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
from tenant_apps.conversations.models import Chat
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


@pytest.fixture
def two_workers(transactional_db):
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
            env=live_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in (1, 2)
    ]
    # Both must be consuming before the job is published, or one would take both runs.
    deadline = time.time() + 60
    while len(app.control.ping(timeout=0.5) or []) < 2 and time.time() < deadline:
        time.sleep(0.2)
    yield processes
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.slow
def test_two_workers_running_the_job_send_each_message_once(make_store, two_workers):
    store = make_store(name="Two Workers", timezone="UTC")
    now = datetime.now(UTC)
    zones = ["America/Los_Angeles", "Europe/London", "Asia/Tokyo", "Asia/Kolkata"]
    zone = next(
        z
        for z in zones
        if window_contains(moment=now, timezone=z)
        and window_contains(moment=now + timedelta(minutes=5), timezone=z)
    )
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
            for n in range(MESSAGES)
        )
    periodic_task = PeriodicTask.objects.get(
        store_schedule__store=store, store_schedule__key="conversation-mail-dispatch"
    )

    # What beat does when the schedule is due, twice at once (e.g. two beat instances).
    app.conf.task_always_eager = False
    try:
        scheduler = DatabaseScheduler(app=app, lazy=True)
        scheduler.apply_async(ModelEntry(periodic_task, app=app))
        scheduler.apply_async(ModelEntry(periodic_task, app=app))
    finally:
        app.conf.task_always_eager = True

    deadline = time.time() + 90
    with in_store(store):
        while Chat.objects.exclude(status="sent").exists() and time.time() < deadline:
            time.sleep(0.3)
        outcome = sorted(set(Chat.objects.values_list("status", "attempts")))
    # Every message was claimed once (attempts counts claims) and sent.
    assert outcome == [("sent", 1)]
