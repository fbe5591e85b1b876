"""A real Celery worker runs a store's periodic job inside that store's schema."""

import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

from saas.celery import app
from shared_apps.accounts.models import OtpChallenge
from tests.live import live_environment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(transactional_db):
    env = live_environment()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "saas", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def expired_challenge(scope: str) -> OtpChallenge:
    old = timezone.now() - timedelta(days=2)
    return OtpChallenge.objects.create(
        mobile="+919800000009", scope=scope, code_hash="x$y", created_at=old, expires_at=old
    )


def test_periodic_task_of_store_a_runs_inside_store_a(make_store, celery_worker_process):
    store_a, store_b = make_store("Worker A"), make_store("Worker B")
    challenge_a = expired_challenge(f"customer:{store_a.schema_name}")
    challenge_b = expired_challenge(f"customer:{store_b.schema_name}")
    periodic_task = PeriodicTask.objects.get(
        store_schedule__store=store_a, store_schedule__key="otp-cleanup"
    )

    # Exactly what beat does when the schedule is due: the entry's options carry the headers.
    app.conf.task_always_eager = False
    try:
        scheduler = DatabaseScheduler(app=app, lazy=True)
        scheduler.apply_async(ModelEntry(periodic_task, app=app))
    finally:
        app.conf.task_always_eager = True

    deadline = time.time() + 60
    while OtpChallenge.objects.filter(pk=challenge_a.pk).exists() and time.time() < deadline:
        time.sleep(0.3)
    assert not OtpChallenge.objects.filter(pk=challenge_a.pk).exists(), (
        celery_worker_process.stdout.read1().decode() if celery_worker_process.poll() else ""
    )
    assert OtpChallenge.objects.filter(pk=challenge_b.pk).exists()
