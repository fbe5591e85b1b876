"""Order notifications: the buyer's SMS (and e-mail when they gave one) for placed, shipped,
delivered and cancelled; the team's e-mail for each new order, only to verified members; each
row written with its event and sent once; `notifications` in the seller's answers only."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from saas.api.authentication import seller_token_pair
from shared_apps.accounts import sms
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.orders.models import Customer, Order, OrderNotification
from tenant_apps.orders.notification_texts import NOTIFICATION_HEADER
from tenant_apps.orders.notifications import (
    INTERRUPTED_NOTE,
    OWNER_NOT_VERIFIED_NOTE,
    order_notifications_dispatch,
    order_notifications_queue,
    order_notifications_send,
)
from tenant_apps.orders.services import cart_create, cart_line_set, order_place, order_status_set
from tests.support.factories import buyer_client, product_make, seller_client
from tests.support.stores import api_client, in_store, store_host
from tests.support.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio

KOLKATA = ZoneInfo("Asia/Kolkata")  # store alpha's timezone
BUYER = "+919811100001"
ADDRESS = {"line1": "12 MG Road", "line2": "Flat 4", "city": "Pune", "pincode": "411001",
           "phone": "+919811100002"}  # fmt: skip


@pytest.fixture
def team(store_a, seller_a):
    """The owner's address verified, a verified staff member and an unverified one."""
    now = timezone.now()
    Seller.objects.filter(pk=seller_a.pk).update(email_verified_at=now)
    verified = Seller.objects.create_user(
        mobile="+919800000081", email="ravi@alpha.example.com", email_verified_at=now
    )
    unverified = Seller.objects.create_user(mobile="+919800000082", email="sam@alpha.example.com")
    for member in (verified, unverified):
        StoreMembership.objects.create(store=store_a, seller=member, role="staff")
    return ["owner@alpha.example.com", "ravi@alpha.example.com"]


@pytest.fixture
def tea(store_a):
    with in_store(store_a):
        return product_make("Assam tea", sale_price="45.50", mrp="50.00")


def place(tea, *, email="", quantity=2, mobile=BUYER) -> Order:
    customer, _ = Customer.objects.get_or_create(mobile=mobile)
    cart = cart_create()
    cart_line_set(cart=cart, product_id=tea.pk, quantity=quantity)
    order, _ = order_place(customer=customer, cart_token=cart.token, address=ADDRESS, email=email)
    return order


def rows(order) -> list[tuple]:
    return list(
        OrderNotification.objects.filter(order=order)
        .order_by("id")
        .values_list("event", "channel", "audience", "recipient", "status")
    )


def test_placing_writes_and_sends_the_buyer_sms_email_and_the_verified_team_mail(
    store_a, team, tea, django_capture_on_commit_callbacks
):
    with in_store(store_a), django_capture_on_commit_callbacks(execute=True):
        order = place(tea, email="Meera@Example.com")

    with in_store(store_a):
        assert rows(order) == [
            ("placed", "sms", "buyer", BUYER, "sent"),
            ("placed", "email", "buyer", "meera@example.com", "sent"),
            ("new_order", "email", "member", "owner@alpha.example.com", "sent"),
            ("new_order", "email", "member", "ravi@alpha.example.com", "sent"),
        ]
        order = Order.objects.get(pk=order.pk)
    number = order.number
    assert sms.outbox == [
        {"to": BUYER, "text": f"Your Seller Suite order {number} is placed. Total: INR 91.00."}
    ]
    buyer_mail, *team_mail = mail.outbox
    assert buyer_mail.to == ["meera@example.com"]
    assert buyer_mail.subject == f"Alpha: order {number} is placed"
    assert buyer_mail.body == (
        f"Hello,\n\nYour order {number} at Alpha is placed.\n\n"
        "  2 x Assam tea: ₹91.00\nSubtotal: ₹91.00\nDelivery: ₹0.00\nTotal: ₹91.00\n"
        "Payment: Cash on delivery\n\n"
        "Delivery to: 12 MG Road, Flat 4, Pune 411001\n\n"
        f"We will write again when it ships.\n\nAlpha\n{store_a.link}\n"
    )
    assert sorted(message.to[0] for message in team_mail) == team  # not the unverified member
    placed = order.created_at.astimezone(KOLKATA)
    assert team_mail[0].subject == f"New order {number} at Alpha: ₹91.00"
    assert team_mail[0].body == (
        "A new order came in at Alpha.\n\n"
        f"Order {number}, placed {placed:%d %b %Y, %H:%M} (IST)\n"
        f"Buyer: {BUYER}\n"
        "  2 x Assam tea: ₹91.00\nSubtotal: ₹91.00\nDelivery: ₹0.00\nTotal: ₹91.00\n"
        "Payment: Cash on delivery\n"
        "Delivery to: 12 MG Road, Flat 4, Pune 411001\n\n"
        f"Open it in the console: {store_a.link}console/orders/{order.pk}/\n"
    )
    ids = {int(message.extra_headers[NOTIFICATION_HEADER]) for message in mail.outbox}
    with in_store(store_a):
        assert ids == set(
            OrderNotification.objects.filter(channel="email").values_list("pk", flat=True)
        )


@pytest.mark.parametrize(
    "path, event, words, next_step",
    [
        (("accepted", "shipped"), "shipped", "has shipped",
         "It is on its way to the address below."),
        (("accepted", "shipped", "delivered"), "delivered", "is delivered",
         "Thank you for shopping with us."),
        (("cancelled",), "cancelled", "is cancelled",
         "Nothing more will be delivered for this order."),
    ],
)  # fmt: skip
def test_each_status_event_texts_and_mails_the_buyer_once(
    store_a, tea, path, event, words, next_step, django_capture_on_commit_callbacks
):
    with in_store(store_a), django_capture_on_commit_callbacks(execute=True):
        order = place(tea, email="meera@example.com")
        for status in path:
            order = order_status_set(order=order, status=status)

    number = order.number
    assert sms.outbox[-1] == {"to": BUYER, "text": f"Your Seller Suite order {number} {words}."}
    # Placed, then one text per announced step (accepting is the seller's own step).
    assert len(sms.outbox) == 1 + len([s for s in path if s != "accepted"])
    last = mail.outbox[-1]
    assert (last.to, last.subject) == (["meera@example.com"], f"Alpha: order {number} {words}")
    assert last.body.startswith(f"Hello,\n\nYour order {number} at Alpha {words}.\n\n")
    assert f"\n\n{next_step}\n\nAlpha\n" in last.body
    with in_store(store_a):
        assert OrderNotification.objects.filter(order=order, event="accepted").count() == 0
        assert [(e, c, s) for e, c, _, _, s in rows(order) if e == event] == [
            (event, "sms", "sent"), (event, "email", "sent"),
        ]  # fmt: skip


def test_without_an_email_the_buyer_gets_the_sms_only(store_a, tea):
    with in_store(store_a):
        order = place(tea)
        assert rows(order) == [("placed", "sms", "buyer", BUYER, "pending")]


def test_rows_are_written_once_and_a_second_send_sends_nothing(store_a, tea):
    with in_store(store_a):
        order = place(tea, email="meera@example.com")
        order_notifications_queue(order=order, status="placed")  # the event told twice
        first = order_notifications_send(order_id=order.pk)
        second = order_notifications_send(order_id=order.pk)
        again = order_notifications_dispatch()

        assert len(rows(order)) == 2
        assert (len(first.sent), second.sent, again.sent) == (2, [], [])
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1


def test_a_rolled_back_order_leaves_no_notification(store_a, tea):
    with in_store(store_a):
        customer = Customer.objects.create(mobile=BUYER)
        cart = cart_create()  # empty: placing fails inside the transaction
        with pytest.raises(Exception, match="The cart is empty"):
            order_place(customer=customer, cart_token=cart.token, address=ADDRESS)
        assert OrderNotification.objects.count() == 0


def test_an_unverified_owner_s_store_sends_the_sms_but_no_buyer_mail(store_a, seller_a, tea):
    Seller.objects.filter(pk=seller_a.pk).update(mobile_verified_at=None, email_verified_at=None)
    with in_store(store_a):
        order = place(tea, email="meera@example.com")
        result = order_notifications_send(order_id=order.pk)
        mail_row = OrderNotification.objects.get(order=order, channel="email")

    assert (len(result.sent), result.failed) == (1, [mail_row.pk])
    assert (mail_row.status, mail_row.last_error) == ("failed", OWNER_NOT_VERIFIED_NOTE)
    assert len(sms.outbox) == 1 and mail.outbox == []


def test_buyer_mail_beyond_the_daily_quota_waits_for_the_store_s_next_day(store_a, tea, settings):
    settings.ORDER_DAILY_MAIL_QUOTA = 1
    with in_store(store_a):
        first = place(tea, email="one@example.com", mobile="+919811100011")
        second = place(tea, email="two@example.com", mobile="+919811100012")
        now = timezone.now()
        result = order_notifications_dispatch(now=now)
        waiting = OrderNotification.objects.get(order=second, channel="email")

    assert [m.to for m in mail.outbox] == [["one@example.com"]]
    assert result.held_for_quota == [waiting.pk] and waiting.status == "pending"
    local = now.astimezone(KOLKATA)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo)
    assert waiting.next_attempt_at == midnight
    assert len(sms.outbox) == 2  # texts are not held
    with in_store(store_a):
        later = order_notifications_dispatch(now=midnight + timedelta(minutes=1))
    assert later.sent == [waiting.pk] and mail.outbox[-1].to == ["two@example.com"]
    assert first.pk != second.pk


@pytest.fixture
def fake_twilio(settings):
    server = FakeTwilio().start()
    settings.SMS_BACKEND = "shared_apps.accounts.sms_twilio.TwilioSmsBackend"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT_SID, AUTH_TOKEN
    settings.TWILIO_FROM, settings.TWILIO_MESSAGING_SERVICE_SID = FROM_NUMBER, ""
    settings.TWILIO_API_BASE_URL = server.url
    yield server
    server.stop()


def test_an_sms_outage_is_retried_with_backoff_and_a_refused_number_fails_at_once(
    store_a, tea, fake_twilio
):
    with in_store(store_a):
        order = place(tea)
        now = timezone.now()
        fake_twilio.refuse_next(status=503, code=20500, message="Service unavailable")
        outage = order_notifications_send(order_id=order.pk, now=now)
        row = OrderNotification.objects.get(order=order)
        assert (row.status, row.attempts, row.next_attempt_at) == (
            "pending", 1, now + timedelta(minutes=1),
        )  # fmt: skip
        assert order_notifications_send(order_id=order.pk, now=now).sent == []  # not due yet
        retried = order_notifications_send(order_id=order.pk, now=now + timedelta(minutes=1))

        other = place(tea, mobile="+919811100099")
        fake_twilio.refuse_next(status=400, code=21211, message="Invalid 'To' Phone Number")
        refused = order_notifications_send(order_id=other.pk)
        refused_row = OrderNotification.objects.get(order=other)

    assert (outage.retrying, retried.sent) == ([row.pk], [row.pk])
    bodies = [request.form["Body"][0] for request in fake_twilio.requests]
    assert bodies.count(f"Your Seller Suite order {order.number} is placed. Total: INR 91.00.") == 2
    assert (refused.failed, refused_row.status, refused_row.attempts) == (
        [refused_row.pk], "failed", 1,
    )  # fmt: skip


def test_a_row_left_sending_by_a_dead_worker_is_failed_never_sent_again(store_a, tea):
    now = timezone.now()
    with in_store(store_a):
        order = place(tea)
        OrderNotification.objects.filter(order=order).update(
            status="sending", claimed_at=now - timedelta(minutes=16), attempts=1
        )
        result = order_notifications_dispatch(now=now)
        row = OrderNotification.objects.get(order=order)

    assert (result.interrupted, row.status, row.last_error) == (
        [row.pk], "failed", INTERRUPTED_NOTE,
    )  # fmt: skip
    assert sms.outbox == []


# --- the answers ----------------------------------------------------------------------------


def test_the_seller_answers_list_notifications_and_the_buyer_answers_do_not(
    store_a, seller_a, tea, django_capture_on_commit_callbacks
):
    buyer, _ = buyer_client(store_a, mobile=BUYER)
    cart = api_client(store_host(store_a))
    token = cart.post("/api/cart").json()["token"]
    cart.put("/api/cart/items", {"product_id": tea.pk, "quantity": 1}, format="json",
             HTTP_X_CART_TOKEN=token)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        placed = buyer.post(
            "/api/orders",
            {"cart_token": token, "address": ADDRESS, "email": "meera@example.com"},
            format="json",
        )
    order_id = placed.json()["id"]
    seller = seller_client(store_a, seller_a)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = seller.post(f"/api/orders/{order_id}/status", {"status": "accepted"})
        shipped = seller.post(f"/api/orders/{order_id}/status", {"status": "shipped"})
    paid = seller.post(f"/api/orders/{order_id}/payment", {"status": "paid"})
    detail = seller.get(f"/api/orders/{order_id}").json()
    listed = seller.get("/api/orders").json()["results"][0]
    mine = buyer.get(f"/api/customers/me/orders/{order_id}").json()
    my_list = buyer.get("/api/customers/me/orders").json()["results"][0]

    assert placed.status_code == 201 and accepted.status_code == 200
    with in_store(store_a):
        sent = {
            (row.event, row.channel): row.sent_at
            for row in OrderNotification.objects.filter(order_id=order_id)
        }
    expected = [
        {"event": "placed", "channel": "sms", "status": "sent"},
        {"event": "placed", "channel": "email", "status": "sent"},
        {"event": "shipped", "channel": "sms", "status": "sent"},
        {"event": "shipped", "channel": "email", "status": "sent"},
    ]
    # The status answer is written before its messages leave (they go after the commit).
    assert [(n["event"], n["status"], n["sent_at"]) for n in shipped.json()["notifications"]][
        2:
    ] == [("shipped", "pending", None), ("shipped", "pending", None)]
    for answer in (detail, listed, paid.json()):
        notes = answer["notifications"]
        assert [{k: n[k] for k in ("event", "channel", "status")} for n in notes] == expected
        assert all(set(n) == {"event", "channel", "status", "sent_at"} for n in notes)
        assert [datetime.fromisoformat(n["sent_at"]) for n in notes] == [
            sent[(n["event"], n["channel"])] for n in notes
        ]
    assert detail["email"] == "meera@example.com"
    for answer in (placed.json(), mine, my_list):
        assert "notifications" not in answer
        assert answer["email"] == "meera@example.com"


def test_a_pending_notification_reads_pending_with_no_sent_at(store_a, seller_a, tea):
    with in_store(store_a):
        order = place(tea)
        OrderNotification.objects.filter(order=order).update(status="sending")

    answer = seller_client(store_a, seller_a).get(f"/api/orders/{order.pk}").json()

    assert answer["notifications"] == [
        {"event": "placed", "channel": "sms", "status": "pending", "sent_at": None}
    ]


def test_a_bad_email_is_refused_and_nothing_is_placed(store_a, tea):
    buyer, _ = buyer_client(store_a, mobile=BUYER)
    cart = api_client(store_host(store_a))
    token = cart.post("/api/cart").json()["token"]
    cart.put("/api/cart/items", {"product_id": tea.pk, "quantity": 1}, format="json",
             HTTP_X_CART_TOKEN=token)  # fmt: skip

    response = buyer.post(
        "/api/orders", {"cart_token": token, "address": ADDRESS, "email": "not an address"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["details"])) == ("invalid", ["email"])
    with in_store(store_a):
        assert (Order.objects.count(), OrderNotification.objects.count()) == (0, 0)


def test_store_b_s_seller_sees_no_notification_of_store_a(store_a, seller_b, tea):
    with in_store(store_a):
        order = place(tea)
    foreign = api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"])

    detail = foreign.get(f"/api/orders/{order.pk}")
    listed = foreign.get("/api/orders")

    assert detail.status_code in (401, 403, 404) and listed.status_code in (401, 403, 404)
    assert "notifications" not in detail.json() and BUYER not in listed.content.decode()
