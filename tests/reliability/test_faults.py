"""Faults: the app keeps taking signups and orders while Redis is down, says so on /healthz,
and the work left queued runs once Redis is back."""

import contextlib
import http.client
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import zoneinfo
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

from saas.celery import app
from shared_apps.accounts.services import api_token_create
from tenant_apps.catalog.services import product_create
from tenant_apps.conversations.models import Chat
from tenant_apps.conversations.services import client_create, conversation_create, operator_ensure
from tenant_apps.orders.models import Order
from tenant_apps.signups.models import Signup, WidgetSite
from tests.benchmarks.common import free_port
from tests.conftest import in_store, store_host
from tests.live import live_environment, real_gunicorn

ROOT = Path(__file__).resolve().parents[2]
FIXED_CODE = "246810"


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


class Http:
    def __init__(self, port: int, host: str):
        self.port, self.host = port, host

    def __call__(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                method, path, body=json.dumps(body) if body is not None else None,
                headers={"Host": self.host, "Content-Type": "application/json", **(headers or {})},
            )  # fmt: skip
            response = connection.getresponse()
            raw = response.read()
            return response.status, (json.loads(raw) if raw.startswith(b"{") else {})
        finally:
            connection.close()


def timezone_inside_the_window() -> str:
    """A client timezone where it is now between 10:00 and 18:00, so a message goes at once."""
    now = datetime.now(UTC)
    for name in (
        "Asia/Kolkata",
        "Europe/London",
        "America/New_York",
        "Asia/Tokyo",
        "America/Los_Angeles",
        "Pacific/Auckland",
        "Asia/Dubai",
        "America/Sao_Paulo",
    ):
        if 10 <= now.astimezone(zoneinfo.ZoneInfo(name)).hour < 18:
            return name
    raise AssertionError("no zone in the list is inside 10:00-18:00 now")  # 8 zones cover 24 h


@contextlib.contextmanager
def celery_worker(redis_url: str, **environment):
    env = live_environment(TEST_REDIS_URL=redis_url, **environment)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "saas", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def run_schedule_now(periodic_task: PeriodicTask, broker_url: str) -> None:
    """What beat does when the schedule is due, sent to the given broker."""
    with app.connection_for_write(broker_url) as connection:
        producer = app.amqp.Producer(connection)
        app.conf.task_always_eager = False
        try:
            DatabaseScheduler(app=app, lazy=True).apply_async(
                ModelEntry(periodic_task, app=app), producer=producer
            )
        finally:
            app.conf.task_always_eager = True


@pytest.mark.slow
def test_redis_outage_degrades_and_recovers(make_store):
    store = make_store("Outage")
    with in_store(store):
        site_key = WidgetSite.objects.get().key
        product = product_create(
            name="Tea", category="Drinks", mrp=Decimal("120.00"), sale_price=Decimal("100.00")
        )
        operator = operator_ensure(seller=store.owner)
        client = client_create(
            name="Asha", email="asha@example.com", timezone=timezone_inside_the_window()
        )
        conversation = conversation_create(client=client, operator=operator)
    api_key = api_token_create(seller=store.owner, name="outage")[1]
    link = urlsplit(store.link)
    origin = f"{link.scheme}://{link.netloc}"
    redis_port = free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"

    with (
        redis_server(redis_port) as redis_process,
        real_gunicorn(TEST_REDIS_URL=redis_url, TEST_OTP_FIXED_CODE=FIXED_CODE) as web_port,
    ):
        call = Http(web_port, store_host(store))
        assert call("GET", "/healthz") == (200, {"database": "ok", "redis": "ok"})

        # Given Redis is gone
        redis_process.send_signal(signal.SIGTERM)
        redis_process.wait(timeout=10)
        wait_for_port(redis_port, open_=False)

        # /healthz names it
        status, health = call("GET", "/healthz")
        assert status == 503
        assert health["database"] == "ok" and health["redis"].startswith("error")

        # a widget signup still succeeds (throttling fails open)
        signup = call(
            "POST", f"/api/widget/signups?key={site_key}", {"email": "new@example.com"},
            {"Origin": origin},
        )  # fmt: skip
        assert signup == (201, {"status": "subscribed"})

        # an order still succeeds
        _, cart = call("POST", "/api/cart", {})
        cart_headers = {"X-Cart-Token": cart["token"]}
        assert call("PUT", "/api/cart/items", {"product_id": product.pk, "quantity": 2},
                    cart_headers)[0] == 200  # fmt: skip
        status, login = call(
            "POST", "/api/customers/otp/verify", {"mobile": "+919812345678", "otp": FIXED_CODE}
        )
        assert status == 200, login
        status, order = call(
            "POST", "/api/orders",
            {"cart_token": cart["token"], "address": {"line1": "1 Road", "city": "Pune",
             "pincode": "411001", "phone": "+919812345678"}},
            {"Authorization": f"Bearer {login['access']}"},
        )  # fmt: skip
        assert status == 201, order
        assert order["total"] == "200.00"

        # a message inside the client's window cannot reach the broker: it stays queued
        status, chat = call(
            "POST", "/chat/",
            {"conversationId": conversation.pk, "chat": {"payload": "Hello {{ username }}",
                                                          "userId": operator.pk}},
            {"X-API-Token": api_key},
        )  # fmt: skip
        assert status == 201, chat
        with in_store(store):
            assert Signup.objects.filter(email="new@example.com").count() == 1
            assert Order.objects.count() == 1
            assert Chat.objects.get(pk=chat["chatId"]).status == "queued"

        # When Redis is back, the store's mail job sends what waited
        with redis_server(redis_port), celery_worker(redis_url):
            assert call("GET", "/healthz") == (200, {"database": "ok", "redis": "ok"})
            dispatch = PeriodicTask.objects.get(
                store_schedule__store=store, store_schedule__key="conversation-mail-dispatch"
            )
            run_schedule_now(dispatch, redis_url)
            deadline = time.time() + 60
            while time.time() < deadline:
                with in_store(store):
                    sent = Chat.objects.get(pk=chat["chatId"])
                if sent.status == "sent":
                    break
                time.sleep(0.3)

    assert (sent.status, sent.attempts) == ("sent", 1)
    assert sent.rendered == "Hello Asha"
