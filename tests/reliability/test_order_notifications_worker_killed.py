"""Order notifications with two real Celery workers, one killed in the middle of sending: no
notification is lost and none goes out twice (claims committed before sending, acks late, one
claimed row at a time; the periodic dispatch job finishes what the dead worker left)."""

import re
import signal
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from saas.celery import app
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.orders.models import Customer, OrderNotification
from tenant_apps.orders.services import cart_create, cart_line_set, order_place
from tests.support.factories import product_make
from tests.support.live import celery_worker, run_schedule_now
from tests.support.stores import in_store
from tests.support.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio

pytestmark = pytest.mark.slow  # Celery workers, one of them killed

ORDERS = 30
ADDRESS = {"line1": "12 MG Road", "city": "Pune", "pincode": "411001", "phone": "+919811100002"}
SMS_PLACED = re.compile(r"^Your Seller Suite order (\d+) is placed\. Total: INR 45\.50\.$")


def emailed_notification_ids(folder: Path) -> list[int]:
    text = "".join(path.read_text() for path in folder.glob("*"))
    return [
        int(found)
        for found in re.findall(r"^X-Seller-Suite-Order-Notification: (\d+)$", text, re.M)
    ]


def texted_order_numbers(fake: FakeTwilio) -> list[str]:
    bodies = [request.form["Body"][0] for request in list(fake.requests)]
    return [SMS_PLACED.match(body).group(1) for body in bodies]


def wait_until(condition, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def orders_placed_onto_the_broker(store) -> dict[str, int]:
    """ORDERS orders, each queuing its send task on the real broker (nobody consumes yet).
    Returns {order number: order id}."""
    app.conf.task_always_eager = False
    try:
        app.control.purge()
        with in_store(store):
            tea = product_make("Assam tea", sale_price="45.50", mrp="50.00")
            placed = {}
            for n in range(ORDERS):
                customer = Customer.objects.create(mobile=f"+9198111{n:05d}")
                cart = cart_create()
                cart_line_set(cart=cart, product_id=tea.pk, quantity=1)
                order, _ = order_place(customer=customer, cart_token=cart.token,
                                       address=ADDRESS, email=f"buyer{n}@example.com")  # fmt: skip
                placed[order.number] = order.pk
    finally:
        app.conf.task_always_eager = True
    return placed


def test_two_workers_one_killed_lose_nothing_and_send_nothing_twice(make_store, tmp_path):
    store = make_store("Killed notifier")
    now = timezone.now()
    Seller.objects.filter(pk=store.owner_id).update(
        email="owner@notifier.example.com", email_verified_at=now
    )
    staff = Seller.objects.create_user(
        mobile="+919800000181", email="staff@notifier.example.com", email_verified_at=now
    )
    StoreMembership.objects.create(store=store, seller=staff, role="staff")
    placed = orders_placed_onto_the_broker(store)
    with in_store(store):
        rows = dict(OrderNotification.objects.values_list("pk", "channel"))
    assert len(rows) == ORDERS * 4  # SMS + buyer e-mail + two members' e-mails per order
    dispatch = PeriodicTask.objects.get(
        store_schedule__store=store, store_schedule__key="order-notifications-dispatch"
    )
    twilio = FakeTwilio().start()
    worker_env = {
        "DJANGO_SETTINGS_MODULE": "tests.reliability.order_notify_worker_settings",
        "TEST_EMAIL_BACKEND": "tests.reliability.slow_mail.SlowFileEmailBackend",
        "TEST_EMAIL_FILE_PATH": str(tmp_path),
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": FROM_NUMBER,
        "TWILIO_API_BASE_URL": twilio.url,
    }

    def delivered() -> int:
        return len(emailed_notification_ids(tmp_path)) + len(twilio.requests)

    try:
        with (
            celery_worker(hostname="first@%h", **worker_env) as first,
            celery_worker(hostname="second@%h", **worker_env),
        ):
            wait_until(lambda: delivered() >= 20)
            first.send_signal(signal.SIGKILL)  # mid-send, no chance to clean up
            first.wait(timeout=10)
            delivered_at_kill = delivered()
            run_schedule_now(dispatch)  # the next periodic run, taken by the second worker

            def nothing_pending():
                with in_store(store):
                    return not OrderNotification.objects.filter(status="pending").exists()

            wait_until(nothing_pending)
    finally:
        twilio.stop()

    emailed = emailed_notification_ids(tmp_path)
    texted = texted_order_numbers(twilio)
    with in_store(store):
        statuses = dict(OrderNotification.objects.values_list("pk", "status"))
        sms_rows = dict(
            OrderNotification.objects.filter(channel="sms").values_list("order__number", "pk")
        )
    in_doubt = {pk for pk, status in statuses.items() if status == "sending"}
    sent = {pk for pk, status in statuses.items() if status == "sent"}
    went_out = set(emailed) | {sms_rows[number] for number in texted}
    print(f"rows {len(rows)}, out at the kill {delivered_at_kill}, in doubt {len(in_doubt)}")
    assert len(rows) > delivered_at_kill >= 20  # the kill really came mid-run
    assert len(emailed) == len(set(emailed)) and len(texted) == len(set(texted))  # never twice
    assert set(texted) <= set(placed)
    assert len(in_doubt) <= 1  # at most the row the killed worker was sending
    assert sent | in_doubt == set(rows)  # nothing lost, nothing failed
    assert went_out - in_doubt == sent  # every "sent" row went out, exactly once
