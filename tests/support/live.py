"""Real servers and workers as other processes, against the test database and Redis.

Every address comes from the settings of the running tests (the servers scripts/services.sh
found or started), never from default ports.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

from saas.celery import app
from tests.benchmarks.common import gunicorn_server

ROOT = Path(__file__).resolve().parents[2]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL naming the same server, credentials and database as `settings_dict`."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


def live_database_url() -> str:
    """The test database (pytest-django renames the default one while the tests run)."""
    return database_url(settings.DATABASES["default"])


def live_environment(**overrides) -> dict:
    """The environment for a subprocess that must see the same database and Redis as the test."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "saas.settings.test",
        "DATABASE_URL": live_database_url(),
        "TEST_DATABASE_NAME": settings.DATABASES["default"]["NAME"],
        "TEST_REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    env.update({key: str(value) for key, value in overrides.items()})
    return env


@contextlib.contextmanager
def real_gunicorn(**overrides):
    """A gunicorn serving the app against the test database; yields its port."""
    with gunicorn_server(workers=3, extra_env=live_environment(**overrides)) as port:
        yield port


@contextlib.contextmanager
def celery_worker(*, hostname: str | None = None, stdout=subprocess.DEVNULL, **environment):
    """A real Celery worker (one task at a time) on the test database and broker; yields the
    process. `environment` overrides variables of `live_environment`."""
    command = [sys.executable, "-m", "celery", "-A", "saas", "worker", "--pool=solo",
               "--loglevel=WARNING", "--without-gossip", "--without-mingle",
               "--without-heartbeat"]  # fmt: skip
    if hostname:
        command.append(f"--hostname={hostname}")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=live_environment(**environment),
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout == subprocess.PIPE else subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_schedule_now(periodic_task: PeriodicTask, broker_url: str | None = None) -> None:
    """What beat does when the schedule is due (the entry's options carry the store's header),
    sent to `broker_url` (the test broker by default)."""
    app.conf.task_always_eager = False
    try:
        scheduler = DatabaseScheduler(app=app, lazy=True)
        with app.connection_for_write(broker_url or settings.CELERY_BROKER_URL) as connection:
            producer = app.amqp.Producer(connection)
            scheduler.apply_async(ModelEntry(periodic_task, app=app), producer=producer)
    finally:
        app.conf.task_always_eager = True


def wait_for_port(port: int, *, open_: bool = True, timeout: float = 15) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as sock:
            if (sock.connect_ex(("127.0.0.1", port)) == 0) == open_:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not {'open' if open_ else 'close'}")


@contextlib.contextmanager
def redis_server(port: int):
    """A private redis-server, so that stopping it touches nothing else on the machine."""
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        wait_for_port(port, open_=False)
