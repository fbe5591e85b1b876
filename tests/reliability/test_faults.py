"""Faults: the app keeps taking signups and orders while Redis is down, says so on /healthz,
and the work left queued runs once Redis is back."""

import http.client
import json
import signal
import time
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django_celery_beat.models import PeriodicTask

from shared_apps.accounts.services import api_token_create
from tenant_apps.catalog.services import product_create
from tenant_apps.conversations.models import Chat
from tenant_apps.conversations.services import client_create, conversation_create, operator_ensure
from tenant_apps.orders.models import Order
from tenant_apps.signups.models import Signup, WidgetSite
from tests.benchmarks.common import free_port
from tests.support.live import (
    celery_worker,
    real_gunicorn,
    redis_server,
    run_schedule_now,
    wait_for_port,
)
from tests.support.stores import in_store, store_host
from tests.support.times import timezone_inside_the_window

pytestmark = pytest.mark.slow  # a private Redis, gunicorn and a Celery worker

FIXED_CODE = "246810"


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
        with redis_server(redis_port), celery_worker(TEST_REDIS_URL=redis_url):
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
