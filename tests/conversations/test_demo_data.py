"""`load_demo_data --store <slug>` fills a store once; a second run adds nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from tenant_apps.analytics.models import Event
from tenant_apps.conversations.models import Chat, Client, Conversation, DiscountCode, Operator
from tests.support.stores import in_store


def _load(slug: str) -> str:
    out = io.StringIO()
    call_command("load_demo_data", "--store", slug, stdout=out)
    return out.getvalue().strip()


def test_demo_data_is_loaded_once(store_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _load("alpha")
    with django_capture_on_commit_callbacks(execute=True):
        second = _load("alpha")

    assert first == second == "Store alpha: 3 operators, 6 clients, 5 conversations, 12 messages."
    with in_store(store_a):
        assert Operator.objects.count() == 3
        zones = set(Client.objects.values_list("timezone", flat=True))
        assert {"Asia/Kolkata", "America/New_York", "Asia/Kathmandu"} <= zones
        assert DiscountCode.objects.filter(discount__is_active=True).count() == 4
        assert Conversation.objects.filter(status="closed").count() == 1
        statuses = sorted(Chat.objects.values_list("status", flat=True))
        assert statuses.count("queued") == 4
        assert statuses.count("sent") == 8
        asha = Chat.objects.filter(conversation__client__email="asha@demo.example.com")
        assert asha.order_by("created_at", "pk").last().rendered == (
            "Sure Asha Rao. Here is your code ASHA10"
        )
        # 5 conversations x (created + assigned) + 12 messages + 1 close, recorded once.
        assert Event.objects.count() == 23


def test_unknown_store_is_refused(db):
    with pytest.raises(CommandError, match="No store 'nowhere'"):
        _load("nowhere")
