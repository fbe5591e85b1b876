"""A real Celery worker runs a store's periodic job inside that store's schema."""

import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from shared_apps.accounts.models import OtpChallenge
from tests.support.live import celery_worker, run_schedule_now

pytestmark = pytest.mark.slow  # a Celery worker process


@pytest.fixture
def celery_worker_process(transactional_db):
    with celery_worker(stdout=subprocess.PIPE) as process:
        yield process


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

    run_schedule_now(periodic_task)

    deadline = time.time() + 60
    while OtpChallenge.objects.filter(pk=challenge_a.pk).exists() and time.time() < deadline:
        time.sleep(0.3)
    assert not OtpChallenge.objects.filter(pk=challenge_a.pk).exists(), (
        celery_worker_process.stdout.read1().decode() if celery_worker_process.poll() else ""
    )
    assert OtpChallenge.objects.filter(pk=challenge_b.pk).exists()
