"""The console's Conversations pages in real Chromium: start a conversation with a new client,
write a message with the placeholder picker (checked inline), send it, read its state."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tenant_apps.conversations.models import Chat, Conversation
from tests.support.browser import live_url
from tests.support.pages import audit_passes, console_sign_in, page_audit
from tests.support.stores import in_store, store_host

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def zone_before_nine() -> str:
    """A fixed-offset zone where it is now between 00:00 and 08:59: a message must wait."""
    now = datetime.now(UTC)
    for offset in range(-12, 15):
        name = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"  # Etc signs are reversed
        if now.astimezone(ZoneInfo(name)).hour < 8:
            return name
    raise AssertionError("some offset is always before 08:00")


@pytest.mark.django_db(transaction=True)
def test_start_a_conversation_write_with_a_placeholder_and_see_it_scheduled(
    make_store, live_server, page
):
    store = make_store("Chat Console", timezone="Asia/Kolkata")
    zone = zone_before_nine()
    host = store_host(store)
    console_sign_in(page, live_server, store)

    page.goto(live_url(live_server, host, "/console/conversations/"))
    page.get_by_role("link", name="New conversation").click()
    page.get_by_label("Name").fill("Asha Rao")
    page.get_by_label("E-mail").fill("asha@example.com")
    page.get_by_label("Timezone").select_option(zone)
    page.get_by_role("button", name="Start conversation").click()
    expect(page.get_by_text("Conversation with Asha Rao started.")).to_be_visible()

    box = page.get_by_role("textbox", name="Message")
    box.fill("Hello <b>")
    expect(page.locator("#composer-check")).to_have_text(
        "Write plain text: HTML tags like <b> cannot be sent."
    )
    box.fill("Hello ")
    page.get_by_role("button", name="Insert the username placeholder").click()
    expect(box).to_have_value("Hello {{ username }}")
    expect(page.locator("#composer-check")).to_have_text(
        "The client will read: Hello Asha Rao · scheduled for 09:00 the client's time"
    )
    page.get_by_role("button", name="Send message").click()

    expect(
        page.get_by_text("Message saved. Scheduled for 09:00 the client's time.")
    ).to_be_visible()
    expect(page.locator(".thread .delivery")).to_have_text(
        ["Scheduled for 09:00 the client's time"]
    )
    with in_store(store):
        conversation = Conversation.objects.get()
        assert list(Chat.objects.values_list("rendered", "status")) == [
            ("Hello Asha Rao", "queued")
        ]

    for path, name in [
        ("/console/conversations/", "conversations"),
        ("/console/conversations/new", "conversations-new"),
        (f"/console/conversations/{conversation.pk}/", "conversations-thread"),
    ]:
        findings = page_audit(page, live_url(live_server, host, path), name)
        assert audit_passes(findings) == {}, name

    page.get_by_role("button", name="Close conversation").click()
    expect(page.get_by_text("Conversation with Asha Rao closed.")).to_be_visible()
    page.get_by_role("button", name="Reopen conversation").click()
    expect(page.locator("#conversation-status")).to_have_text("Open")
