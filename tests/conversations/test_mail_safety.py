"""No relay: mail only for verified sellers, a daily quota, and a one-click unsubscribe."""

import email
import email.policy
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client as DjangoClient

from saas.tasks import QueuedTask
from shared_apps.accounts import sms
from shared_apps.accounts.models import Seller
from tenant_apps.conversations.mail import unsubscribe_url
from tenant_apps.conversations.models import Chat, Client, MailQuotaDay
from tenant_apps.conversations.quota import quota_day
from tenant_apps.conversations.services import (
    CHAT_SEND_TASK,
    UNSUBSCRIBED_NOTE,
    chat_create,
    chat_mail_dispatch,
    chat_send,
    client_create,
    conversation_create,
)
from tenant_apps.conversations.window import window_next_start
from tenants.models import Store
from tests.conversations.mail_backends import FlakyEmailBackend
from tests.support.mail_safety import chat_text, link_in, path_of
from tests.support.mail_safety import unsubscribe_url as unsubscribe_url_of
from tests.support.stores import PLATFORM_HOST, api_client, in_store, store_host
from tests.support.times import local, timezone_inside_the_window

KOLKATA = "Asia/Kolkata"
NEW_YORK = "America/New_York"


def _chat_api(api, conversation_id, user_id, payload="Hello {{ username }}"):
    body = {"conversationId": conversation_id, "chat": {"payload": payload, "userId": user_id}}
    return api.post("/chat/", body, format="json")


def _operator_chat(conversation, *, now, payload="Hello {{ username }}") -> Chat:
    return chat_create(
        conversation_id=conversation.pk, user_id=conversation.operator_id, payload=payload, now=now
    )


def _send_tasks(callbacks) -> list:
    """The send tasks among captured on-commit callbacks (analytics events are others)."""
    return [c for c in callbacks if isinstance(c, QueuedTask) and c.name == CHAT_SEND_TASK]


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


# --- verification ---------------------------------------------------------------------------


def test_an_unverified_sellers_message_is_never_mailed_until_verification(
    platform_client, django_capture_on_commit_callbacks
):
    # A seller registers by e-mail, gets a token at once, and opens a store.
    with django_capture_on_commit_callbacks(execute=True):
        signup = platform_client.post("/api/users/create", {"email": "new@seller.example"})
    token = signup.json()["token"]
    [verification] = mail.outbox
    seller_api = api_client(PLATFORM_HOST, token=token)
    store = seller_api.post("/api/stores", {"name": "Relay Test", "timezone": KOLKATA}).json()
    api = api_client(f"{store['slug']}.localhost", token=token)
    client = api.post(
        "/api/clients", {"name": "Vic", "email": "victim@example.com", "timezone": NEW_YORK}
    ).json()
    conversation = api.post("/api/conversations", {"client": client["id"]}).json()

    # Its message is accepted and kept: queued, held for the account's verification.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = _chat_api(api, conversation["id"], conversation["operator"]["id"])
    assert created.status_code == 201
    assert (created.json()["status"], created.json()["held"]) == ("queued", "verify_account")
    assert _send_tasks(callbacks) == []
    detail = api.get(f"/conversation/{conversation['id']}/").json()
    assert [(c["status"], c["held"]) for c in detail["chats"]] == [("queued", "verify_account")]
    with in_store(_store(store)):
        chat = Chat.objects.get()
        due = chat.scheduled_for  # inside the client's window by construction
        # The hourly job, now and a day later: nothing leaves.
        assert chat_mail_dispatch(now=due).held_for_verification == [chat.pk]
        assert chat_mail_dispatch(now=due + timedelta(days=1)).sent == []
    assert _mails_to("victim@example.com") == []

    # The seller opens the link of the verification e-mail.
    link = link_in(verification.body, "/api/users/verify-email/")
    page = api_client(PLATFORM_HOST).get(path_of(link))
    assert page.status_code == 200
    assert "E-mail address verified" in page.content.decode()
    detail = api.get(f"/conversation/{conversation['id']}/").json()
    assert [(c["status"], c["held"]) for c in detail["chats"]] == [("queued", None)]

    # Then it goes, once, inside the client's window: not at 07:00 New York, but at 09:00.
    next_morning = window_next_start(moment=due, timezone=NEW_YORK)
    early = next_morning - timedelta(hours=2)
    with in_store(_store(store)):
        assert chat_mail_dispatch(now=early).deferred == [chat.pk]
        assert chat_mail_dispatch(now=next_morning).sent == [chat.pk]
        assert chat_mail_dispatch(now=next_morning + timedelta(hours=1)).sent == []
        chat.refresh_from_db()
    assert [chat_text(m) for m in _mails_to("victim@example.com")] == ["Hello Vic"]
    assert (chat.status, chat.attempts, chat.sent_at) == ("sent", 1, next_morning)


def _store(store_json) -> Store:
    return Store.objects.get(slug=store_json["slug"])


def test_signing_in_with_a_mobile_code_verifies_and_releases_the_mail(
    store_a, seller_a, conversation_kolkata
):
    Seller.objects.filter(pk=seller_a.pk).update(mobile_verified_at=None, email_verified_at=None)
    morning = local(KOLKATA, 2026, 3, 9, 10, 0)
    with in_store(store_a):
        chat = _operator_chat(conversation_kolkata, now=morning)
        assert chat_send(chat_id=chat.pk, now=morning).held_for_verification == [chat.pk]
    assert mail.outbox == []

    platform = api_client(PLATFORM_HOST)
    platform.post("/api/auth/otp/request", {"mobile": seller_a.mobile}, format="json")
    [code] = re.findall(r"\b\d{6}\b", sms.outbox[-1]["text"])
    signed_in = platform.post(
        "/api/auth/otp/verify", {"mobile": seller_a.mobile, "otp": code}, format="json"
    )
    assert signed_in.status_code == 200

    seller_a.refresh_from_db()
    assert seller_a.mobile_verified_at is not None
    with in_store(store_a):
        assert chat_mail_dispatch(now=morning + timedelta(minutes=5)).sent == [chat.pk]
    assert [chat_text(m) for m in mail.outbox] == ["Hello Asha Rao"]


# --- the daily quota ----------------------------------------------------------------------------


def test_the_201st_message_of_the_day_waits_for_the_next_day(
    settings, store_a, client_a, conversation_kolkata
):
    assert settings.CONVERSATION_DAILY_MAIL_QUOTA == 200
    morning = local(KOLKATA, 2026, 3, 9, 10, 0)
    with in_store(store_a):
        chats = [_operator_chat(conversation_kolkata, now=morning) for _ in range(201)]
        first_run = chat_mail_dispatch(now=morning)
        assert first_run.sent == [chat.pk for chat in chats[:200]]
        assert first_run.held_for_quota == [chats[200].pk]
        # Written later the same day: held at once, no send task.
        later = _operator_chat(conversation_kolkata, now=morning + timedelta(hours=1))
        assert chat_mail_dispatch(now=local(KOLKATA, 2026, 3, 9, 19, 0)).sent == []
        waiting = list(Chat.objects.filter(status="queued").order_by("pk"))
        assert MailQuotaDay.objects.get(day=quota_day(morning)).sent == 200
    assert len(mail.outbox) == 200
    next_window = local(KOLKATA, 2026, 3, 10, 9, 0)
    assert [(c.pk, c.held, c.next_attempt_at) for c in waiting] == [
        (chats[200].pk, "daily_quota", next_window),
        (later.pk, "daily_quota", next_window),
    ]
    detail = client_a.get(f"/conversation/{conversation_kolkata.pk}/").json()
    assert [(c["status"], c["held"]) for c in detail["chats"][-3:]] == [
        ("sent", None),
        ("queued", "daily_quota"),
        ("queued", "daily_quota"),
    ]

    # The next day they go.
    with in_store(store_a):
        next_day = chat_mail_dispatch(now=next_window)
        assert MailQuotaDay.objects.get(day=quota_day(next_window)).sent == 2
    assert next_day.sent == [chats[200].pk, later.pk]
    assert len(mail.outbox) == 202


def test_a_chat_posted_when_the_quota_is_used_up_answers_held(
    store_a, client_a, operator_a, django_capture_on_commit_callbacks
):
    with in_store(store_a):
        client = client_create(
            name="Dana", email="dana@example.com", timezone=timezone_inside_the_window()
        )
        conversation = conversation_create(client=client, operator=operator_a)
        today = quota_day(conversation.created_at)
        MailQuotaDay.objects.create(day=today, sent=200)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _chat_api(client_a, conversation.pk, operator_a.pk)

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["held"]) == ("queued", "daily_quota")
    assert _send_tasks(callbacks) == []
    assert mail.outbox == []


def test_a_failed_attempt_gives_its_place_in_the_quota_back(
    settings, store_a, conversation_kolkata
):
    settings.EMAIL_BACKEND = "tests.conversations.mail_backends.FlakyEmailBackend"
    settings.CONVERSATION_DAILY_MAIL_QUOTA = 1
    FlakyEmailBackend.failures_left = 1
    now = local(KOLKATA, 2026, 3, 9, 11, 0)
    with in_store(store_a):
        chat = _operator_chat(conversation_kolkata, now=now)
        assert chat_mail_dispatch(now=now).retrying == [chat.pk]
        assert MailQuotaDay.objects.get().sent == 0
        assert chat_mail_dispatch(now=now + timedelta(minutes=1)).sent == [chat.pk]
        assert MailQuotaDay.objects.get().sent == 1
    assert len(mail.outbox) == 1


# --- one-click unsubscribe ----------------------------------------------------------------------


def _sent_mail(store, conversation, *, now):
    with in_store(store):
        chat = _operator_chat(conversation, now=now)
        assert chat_mail_dispatch(now=now).sent == [chat.pk]
    return mail.outbox[-1]


def test_one_click_unsubscribe_stops_mail_and_chat_answers_409(
    store_a, client_a, conversation_kolkata, client_kolkata
):
    morning = local(KOLKATA, 2026, 3, 9, 10, 0)
    message = _sent_mail(store_a, conversation_kolkata, now=morning)
    with in_store(store_a):
        waiting = _operator_chat(conversation_kolkata, now=local(KOLKATA, 2026, 3, 9, 22, 0))

    # What a mail client does for its "Unsubscribe" button (RFC 8058): a POST, no cookie, no
    # CSRF token, the body "List-Unsubscribe=One-Click".
    mail_client = DjangoClient(enforce_csrf_checks=True, HTTP_HOST=store_host(store_a))
    clicked = mail_client.post(
        path_of(unsubscribe_url_of(message)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert clicked.status_code == 200
    assert "You are unsubscribed" in clicked.content.decode()
    with in_store(store_a):
        client = Client.objects.get(pk=client_kolkata.pk)
        waiting.refresh_from_db()
        assert chat_mail_dispatch(now=local(KOLKATA, 2026, 3, 10, 10, 0)).sent == []
    assert client.unsubscribed_at is not None
    assert (waiting.status, waiting.last_error) == ("failed", UNSUBSCRIBED_NOTE)
    assert len(mail.outbox) == 1

    refused = _chat_api(client_a, conversation_kolkata.pk, conversation_kolkata.operator_id)
    assert refused.status_code == 409
    assert refused.json()["code"] == "client_unsubscribed"
    shown = client_a.get(f"/api/clients/{client_kolkata.pk}").json()
    assert shown["unsubscribed_at"] == client.unsubscribed_at.isoformat().replace("+00:00", "Z")
    # The client may still write; that is recorded, not mailed.
    reply = _chat_api(client_a, conversation_kolkata.pk, client_kolkata.pk, "Thanks, bye")
    assert (reply.status_code, reply.json()["status"]) == (201, "sent")
    with in_store(store_a):
        assert Chat.objects.filter(author_kind="operator").count() == 2

    # A second click changes nothing.
    again = mail_client.post(path_of(unsubscribe_url_of(message)))
    assert again.status_code == 200
    with in_store(store_a):
        assert Client.objects.get(pk=client_kolkata.pk).unsubscribed_at == client.unsubscribed_at


def test_the_unsubscribe_page_asks_before_it_unsubscribes(store_a, conversation_kolkata):
    message = _sent_mail(store_a, conversation_kolkata, now=local(KOLKATA, 2026, 3, 9, 10, 0))
    browser = DjangoClient(enforce_csrf_checks=True, HTTP_HOST=store_host(store_a))
    path = path_of(unsubscribe_url_of(message))

    page = browser.get(path)

    html = page.content.decode()
    assert page.status_code == 200
    assert '<form method="post">' in html
    assert "Unsubscribe asha@example.com from Alpha</button>" in html
    with in_store(store_a):
        assert Client.objects.get().unsubscribed_at is None
    confirmed = browser.post(path)
    assert confirmed.status_code == 200
    with in_store(store_a):
        assert Client.objects.get().unsubscribed_at is not None


def _other_store_link(store_b, client_id):
    with in_store(store_b):
        return unsubscribe_url(client=SimpleNamespace(pk=client_id))


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(
            lambda path, **_: path[:-1] + ("A" if path[-1] != "A" else "B"), id="signature"
        ),
        pytest.param(
            lambda path, **_: path.replace("/unsubscribe/ey", "/unsubscribe/ez"), id="payload"
        ),
        pytest.param(lambda path, **_: "/unsubscribe/not-a-token", id="garbage"),
        pytest.param(lambda path, old, **_: path_of(old), id="expired"),
        pytest.param(lambda path, other, **_: path_of(other), id="another-store"),
    ],
)
def test_altered_expired_or_foreign_unsubscribe_links_are_refused(
    store_a, store_b, conversation_kolkata, client_kolkata, spoil
):
    message = _sent_mail(store_a, conversation_kolkata, now=local(KOLKATA, 2026, 3, 9, 10, 0))
    with in_store(store_a):
        old = unsubscribe_url(
            client=client_kolkata, issued_at=local(KOLKATA, 2026, 3, 9, 10, 0) - timedelta(days=400)
        )
        waiting = _operator_chat(conversation_kolkata, now=local(KOLKATA, 2026, 3, 9, 22, 0))
    path = spoil(
        path_of(unsubscribe_url_of(message)),
        old=old,
        other=_other_store_link(store_b, client_kolkata.pk),
    )
    browser = DjangoClient(HTTP_HOST=store_host(store_a))

    shown, clicked = (
        browser.get(path),
        browser.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ),
    )

    for response in (shown, clicked):
        html = response.content.decode()
        assert response.status_code == 400
        assert "<h1>This link does not work</h1>" in html
        assert "Nothing was changed." in html
    with in_store(store_a):
        assert Client.objects.get(pk=client_kolkata.pk).unsubscribed_at is None
        waiting.refresh_from_db()
    assert (waiting.status, waiting.last_error) == ("queued", "")


def test_the_expired_link_page_says_it_expired(store_a, client_kolkata):
    with in_store(store_a):
        old = unsubscribe_url(
            client=client_kolkata, issued_at=local(KOLKATA, 2026, 3, 9, 10, 0) - timedelta(days=181)
        )
    page = DjangoClient(HTTP_HOST=store_host(store_a)).post(path_of(old))
    assert page.status_code == 400
    assert "This unsubscribe link has expired." in page.content.decode()


# --- headers on every conversation e-mail ------------------------------------------------------


def test_every_conversation_email_has_the_one_click_headers(
    settings, store_a, conversation_kolkata, conversation_new_york, client_kolkata
):
    settings.EMAIL_BACKEND = "tests.conversations.mail_backends.FlakyEmailBackend"
    FlakyEmailBackend.failures_left = 1
    kolkata_morning = local(KOLKATA, 2026, 3, 9, 10, 0)
    with in_store(store_a):
        immediate = _operator_chat(conversation_kolkata, now=kolkata_morning)
        chat_send(chat_id=immediate.pk, now=kolkata_morning)  # fails once: retried
        chat_mail_dispatch(now=kolkata_morning + timedelta(minutes=1))  # the retry
        _operator_chat(conversation_new_york, now=local(NEW_YORK, 2026, 3, 9, 22, 0))
        chat_mail_dispatch(now=local(NEW_YORK, 2026, 3, 10, 9, 0))  # the hourly job

    assert sorted(m.to[0] for m in mail.outbox) == ["asha@example.com", "ben@example.com"]
    for message in mail.outbox:
        # As it goes on the wire (a long header is folded; unfolded it is the same link).
        wire = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        assert str(wire["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
        link = unsubscribe_url_of(message)
        assert str(wire["List-Unsubscribe"]).strip() == f"<{link}>"
        assert link.startswith("http://alpha.localhost:8000/unsubscribe/")
        assert f"unsubscribe with one click:\n{link}\n" in message.body
