"""The console's Conversations section: inbox, New conversation, a thread with each message's
delivery state, the composer (checked inline with the rules of POST /chat/), close, reopen."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client as BrowserClient
from django.utils import timezone

from shared_apps.accounts.models import Seller
from tenant_apps.conversations.events import conversation_analytics_record
from tenant_apps.conversations.models import Chat, Client, Conversation
from tenant_apps.conversations.services import (
    UNSUBSCRIBED_NOTE,
    chat_create,
    client_create,
    conversation_close,
    conversation_create,
    discount_code_set,
    operator_ensure,
)
from tenant_apps.conversations.threads import conversation_reopen
from tests.support.console import console_client
from tests.support.stores import in_store, store_host

# 02:00 UTC is 07:30 in Kolkata: outside the client's window, so messages wait for 09:00.
EARLY = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def html_of(response) -> str:
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def asha(store_a, seller_a):
    """A Kolkata client with a discount code and an open conversation with the owner."""
    with in_store(store_a):
        client = client_create(name="Asha Rao", email="asha@example.com", timezone="Asia/Kolkata")
        discount_code_set(client=client, code="ASHA10")
        conversation = conversation_create(
            client=client, operator=operator_ensure(seller=seller_a), now=EARLY
        )
    return conversation


@pytest.fixture
def ben(store_a, seller_a):
    """A New York client without a discount code."""
    with in_store(store_a):
        client = client_create(
            name="Ben Cole", email="ben@example.com", timezone="America/New_York"
        )
        conversation = conversation_create(
            client=client, operator=operator_ensure(seller=seller_a), now=EARLY + timedelta(hours=1)
        )
    return conversation


def chats_of(store, conversation) -> list[tuple]:
    with in_store(store):
        return list(
            Chat.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("author_kind", "rendered", "status")
        )


# --- inbox --------------------------------------------------------------------------------


def test_the_inbox_shows_open_conversations_newest_activity_first(store_a, asha, ben):
    with in_store(store_a):
        # Asha's conversation is older, but she wrote last: it comes first and waits.
        chat_create(
            conversation_id=asha.pk, user_id=asha.client_id, payload="Any offer?",
            now=EARLY + timedelta(hours=2),
        )  # fmt: skip
        closed = conversation_create(
            client=Client.objects.create(name="Cara", email="cara@example.com", timezone="UTC"),
            operator=asha.operator,
            now=EARLY,
        )
        conversation_close(conversation=closed, now=EARLY + timedelta(hours=3))
    client = console_client(store_a)

    open_page = html_of(client.get("/console/conversations/"))
    closed_page = html_of(client.get("/console/conversations/?status=closed"))

    assert '<p class="muted" id="inbox-summary">2 open · 1 waiting for a reply</p>' in open_page
    assert '<a href="?status=open" aria-current="page">Open (2)</a>' in open_page
    rows = open_page[open_page.index('id="inbox"') :]
    assert rows.index("Asha Rao") < rows.index("Ben Cole")
    assert "Cara" not in rows
    assert '<span class="muted">Client:</span> Any offer?' in rows
    assert rows.count("Waiting for a reply") == 1
    assert ">10 Mar, 09:30</time>" in rows  # 04:00 UTC in the store's zone (Asia/Kolkata)
    assert "No messages yet" in rows  # Ben's conversation
    assert "Cara" in closed_page and "Asha Rao" not in closed_page[closed_page.index("<table") :]
    assert '<a href="?status=closed" aria-current="page">Closed (1)</a>' in closed_page


def test_strangers_and_anonymous_visitors_get_nothing(store_a, store_b, asha):
    paths = ["/console/conversations/", "/console/conversations/new",
             f"/console/conversations/{asha.pk}/"]  # fmt: skip
    for path in paths:
        stranger = console_client(store_a, seller=store_b.owner).get(path)
        anonymous = BrowserClient(HTTP_HOST=store_host(store_a)).get(path)
        assert stranger.status_code == 403, path
        assert "Asha" not in html_of(stranger)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login?next=")
    write = console_client(store_a, seller=store_b.owner).post(
        f"/console/conversations/{asha.pk}/messages", {"payload": "hello"}
    )
    assert write.status_code == 403
    assert chats_of(store_a, asha) == []


def test_an_unknown_conversation_is_404(store_a):
    client = console_client(store_a)
    assert client.get("/console/conversations/999/").status_code == 404
    assert client.post("/console/conversations/999/close").status_code == 404


# --- new conversation ---------------------------------------------------------------------


def test_start_a_conversation_with_an_existing_client(store_a, asha):
    client = console_client(store_a)
    form = html_of(client.get("/console/conversations/new"))
    assert f'<option value="{asha.client_id}">Asha Rao · asha@example.com</option>' in form
    assert '<option value="Asia/Kolkata" selected>Asia/Kolkata</option>' in form

    response = client.post(
        "/console/conversations/new", {"client": asha.client_id, "timezone": "Asia/Kolkata"}
    )

    with in_store(store_a):
        started = Conversation.objects.order_by("-pk").first()
        operator_seller = started.operator.seller_id
    assert response.status_code == 302
    assert response["Location"] == f"/console/conversations/{started.pk}/"
    assert (started.client_id, started.status, operator_seller) == (
        asha.client_id, "open", store_a.owner_id
    )  # fmt: skip
    assert "Conversation with Asha Rao started." in html_of(client.get(response["Location"]))


def test_start_a_conversation_with_a_new_client(store_a):
    response = console_client(store_a).post(
        "/console/conversations/new",
        {"client": "", "name": "Dev Patel", "email": "Dev@Example.com", "timezone": "Europe/London",
         "mobile": "+44 7911 123456"},
    )  # fmt: skip

    with in_store(store_a):
        client = Client.objects.get(email="dev@example.com")
        conversations = list(Conversation.objects.filter(client=client))
    assert response.status_code == 302
    assert (client.name, client.timezone, client.mobile) == (
        "Dev Patel", "Europe/London", "+447911123456"
    )  # fmt: skip
    assert len(conversations) == 1


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"name": "Dev", "email": "", "timezone": "UTC"}, "email",
         "Write the client&#x27;s e-mail address."),
        ({"name": "Dev", "email": "not-mail", "timezone": "UTC"}, "email",
         "Write an e-mail address like asha@example.com."),
        ({"name": " ", "email": "dev@example.com", "timezone": "UTC"}, "name",
         "Write the client&#x27;s name."),
        ({"name": "Dev", "email": "dev@example.com", "timezone": "Mars/Base"}, "timezone",
         "Pick the client&#x27;s timezone from the list."),
        ({"name": "Dev", "email": "dev@example.com", "timezone": "UTC", "mobile": "12"},
         "mobile", "Write the mobile number with its country code, like +919876543210."),
        ({"name": "Asha again", "email": "ASHA@example.com", "timezone": "UTC"}, "email",
         "A client with this e-mail already exists: pick them in the list above."),
        ({"client": "424242", "timezone": "UTC"}, "client", "Pick a client from the list."),
    ],
)  # fmt: skip
def test_a_bad_new_client_is_explained_next_to_its_field_and_nothing_is_kept(
    store_a, asha, fields, field, message
):
    with in_store(store_a):
        before = (Client.objects.count(), Conversation.objects.count())

    response = console_client(store_a).post("/console/conversations/new", fields)

    html = html_of(response)
    assert response.status_code == 400
    assert f'<p class="field-error" id="id_{field}-error">{message}</p>' in html
    with in_store(store_a):
        assert (Client.objects.count(), Conversation.objects.count()) == before


# --- a thread and its delivery states -----------------------------------------------------


def test_each_message_says_how_far_it_got(store_a, asha, ben):
    with in_store(store_a):
        scheduled = chat_create(
            conversation_id=asha.pk,
            user_id=asha.operator_id,
            payload="Hi {{ username }}, code {{ discountCode }}",
            now=EARLY,
        )
        reply = chat_create(
            conversation_id=asha.pk,
            user_id=asha.client_id,
            payload="Thanks!",
            now=EARLY + timedelta(minutes=5),
        )
        sent = chat_create(
            conversation_id=asha.pk,
            user_id=asha.operator_id,
            payload="Sent one",
            now=EARLY + timedelta(minutes=6),
        )
        failed = chat_create(
            conversation_id=asha.pk,
            user_id=asha.operator_id,
            payload="Lost",
            now=EARLY + timedelta(minutes=7),
        )
        held = chat_create(
            conversation_id=asha.pk,
            user_id=asha.operator_id,
            payload="Later",
            now=EARLY + timedelta(minutes=8),
        )
        gone = chat_create(
            conversation_id=asha.pk,
            user_id=asha.operator_id,
            payload="Gone",
            now=EARLY + timedelta(minutes=9),
        )
        Chat.objects.filter(pk=sent.pk).update(status="sent", sent_at=EARLY)
        Chat.objects.filter(pk=failed.pk).update(status="failed", last_error="SMTP 550")
        Chat.objects.filter(pk=held.pk).update(held="daily_quota")
        Chat.objects.filter(pk=gone.pk).update(status="failed", last_error=UNSUBSCRIBED_NOTE)
    assert (scheduled.status, reply.status) == ("queued", "sent")

    html = html_of(console_client(store_a).get(f"/console/conversations/{asha.pk}/"))

    states = re.findall(r'<span class="delivery delivery-(\w+)">([^<]+)</span>', html)
    assert states == [
        ("scheduled", "Scheduled for 09:00 the client&#x27;s time"),
        ("received", "From the client"),
        ("sent", "Sent"),
        ("failed", "Failed"),
        ("held", "Held: daily limit reached"),
        ("unsubscribed", "Client unsubscribed: not sent"),
    ]
    assert "Hi Asha Rao, code ASHA10" in html
    assert ">10 Mar, 07:30</time>" in html  # created at 02:00 UTC, shown in store time


def test_an_unverified_owner_sees_messages_held(store_a, asha):
    with in_store(store_a):
        chat_create(conversation_id=asha.pk, user_id=asha.operator_id, payload="Hi", now=EARLY)
    Seller.objects.filter(pk=store_a.owner_id).update(
        mobile_verified_at=None, email_verified_at=None
    )

    html = html_of(console_client(store_a).get(f"/console/conversations/{asha.pk}/"))

    assert '<span class="delivery delivery-held">Held: verify your account</span>' in html
    assert "Your messages wait until you verify your account" in html


# --- the composer -------------------------------------------------------------------------


def test_send_a_message_and_read_its_state(store_a, asha):
    client = console_client(store_a)
    page = html_of(client.get(f"/console/conversations/{asha.pk}/"))
    assert '<label for="id_payload">Message</label>' in page
    assert 'data-placeholder="{{ discountCode }}"' in page
    assert f'hx-post="/console/conversations/{asha.pk}/messages/check"' in page

    response = client.post(
        f"/console/conversations/{asha.pk}/messages",
        {"payload": "Hello {{ username }}", "author": "operator"},
    )

    assert response.status_code == 302
    [(author, rendered, status)] = chats_of(store_a, asha)
    assert (author, rendered) == ("operator", "Hello Asha Rao")
    assert status in ("queued", "sent")
    assert "Message saved. " in html_of(client.get(response["Location"]))


def test_record_the_clients_reply(store_a, asha):
    response = console_client(store_a).post(
        f"/console/conversations/{asha.pk}/messages", {"payload": "Got it", "author": "client"}
    )
    assert response.status_code == 302
    assert chats_of(store_a, asha) == [("client", "Got it", "sent")]


@pytest.mark.parametrize(
    "payload, words",
    [
        ("   ", "Write a message first."),
        ("x" * 301, "Keep the message to 300 characters; it has 301."),
        ("two\nlines", "Write the message on one line: line breaks and control characters "
                       "cannot be sent."),
        ("<b>sale</b>", "Write plain text: HTML tags like &lt;b&gt; cannot be sent."),
        ("Hi {{ coupon }}", "{{ coupon }} is not a placeholder; use {{ username }} or "
                            "{{ discountCode }}."),
        ("Hi {{ username", "A placeholder is not closed: write {{ username }} or "
                           "{{ discountCode }} exactly."),
    ],
)  # fmt: skip
def test_a_bad_message_is_explained_inline_and_on_send_and_nothing_is_kept(
    store_a, asha, payload, words
):
    client = console_client(store_a)

    check = client.post(
        f"/console/conversations/{asha.pk}/messages/check",
        {"payload": payload, "author": "operator"},
        HTTP_HX_REQUEST="true",
    )
    sent = client.post(f"/console/conversations/{asha.pk}/messages", {"payload": payload})

    assert check.status_code == 200
    assert html_of(check).strip() == f'<p class="field-error" id="composer-error">{words}</p>'
    assert sent.status_code == 400
    assert f'<p class="field-error" id="composer-error">{words}</p>' in html_of(sent)
    assert chats_of(store_a, asha) == []


def test_the_check_previews_the_message_and_names_a_missing_discount_code(store_a, asha, ben):
    client = console_client(store_a)

    good = client.post(
        f"/console/conversations/{asha.pk}/messages/check",
        {"payload": "Hi {{ username }}: {{discountCode}}", "author": "operator"},
    )
    missing = client.post(
        f"/console/conversations/{ben.pk}/messages/check",
        {"payload": "Use {{ discountCode }}", "author": "operator"},
    )

    assert "<q>Hi Asha Rao: ASHA10</q>" in html_of(good)
    assert re.search(r"it goes out now|scheduled for \d\d:\d\d the client's time", html_of(good))
    assert (
        "Ben Cole has no active discount code, so {{ discountCode }} cannot be filled in. "
        "Give them a code first, or leave it out."
    ) in html_of(missing)
    assert chats_of(store_a, asha) == [] and chats_of(store_a, ben) == []


def test_an_unsubscribed_client_gets_no_message(store_a, asha):
    with in_store(store_a):
        Client.objects.filter(pk=asha.client_id).update(unsubscribed_at=timezone.now())

    sent = console_client(store_a).post(
        f"/console/conversations/{asha.pk}/messages", {"payload": "Hello"}
    )

    assert sent.status_code == 400
    assert "Asha Rao unsubscribed from your e-mails: messages to them are not sent." in html_of(
        sent
    )
    assert chats_of(store_a, asha) == []


# --- close and reopen ---------------------------------------------------------------------


def test_close_and_reopen(store_a, asha):
    client = console_client(store_a)
    base = f"/console/conversations/{asha.pk}"

    closed = client.post(f"{base}/close")
    closed_page = html_of(client.get(f"{base}/"))
    refused = client.post(f"{base}/messages", {"payload": "Hello"})
    reopened = client.post(f"{base}/reopen")
    open_page = html_of(client.get(f"{base}/"))

    assert closed.status_code == reopened.status_code == 302
    assert "Conversation with Asha Rao closed." in closed_page
    assert "Reopen conversation</button>" in closed_page and 'id="id_payload"' not in closed_page
    assert "The conversation is closed: reopen it to write." in html_of(refused)
    assert "Conversation with Asha Rao reopened." in open_page
    assert '<span class="status" id="conversation-status">Open</span>' in open_page
    with in_store(store_a):
        conversation = Conversation.objects.get(pk=asha.pk)
    assert (conversation.status, conversation.closed_at is not None) == ("open", True)
    assert conversation.reopened_at is not None


def test_reopen_and_close_again_are_new_analytics_facts(store_a, asha):
    with in_store(store_a):
        first = conversation_close(conversation=asha, now=EARLY + timedelta(hours=1))
        reopened = conversation_reopen(conversation=first, now=EARLY + timedelta(hours=2))
        again = conversation_close(conversation=reopened, now=EARLY + timedelta(hours=3))
        recorded = [
            conversation_analytics_record(kind="opened", object_id=asha.pk),
            conversation_analytics_record(kind="reopened", object_id=asha.pk),
            conversation_analytics_record(kind="closed", object_id=asha.pk),
            conversation_analytics_record(kind="reopened", object_id=asha.pk),  # a retry
        ]
    assert again.status == "closed"
    assert recorded == [2, 1, 1, 0]


# --- overview -----------------------------------------------------------------------------


def test_the_overview_counts_open_and_waiting_conversations(store_a, asha, ben):
    with in_store(store_a):
        chat_create(conversation_id=asha.pk, user_id=asha.client_id, payload="Hello?", now=EARLY)
        chat_create(conversation_id=ben.pk, user_id=ben.operator_id, payload="Hi", now=EARLY)

    html = text_of(html_of(console_client(store_a).get("/console/")))

    assert "Open conversations 2 1 waiting for a reply" in html
