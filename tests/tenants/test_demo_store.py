"""`demo_setup` (run by `make run`) fills the store `demo` so every console page has data,
and a second run adds nothing."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from tenant_apps.catalog.models import Category, Product
from tenant_apps.conversations.models import Chat, Conversation
from tenant_apps.orders.models import Order
from tenant_apps.signups.models import Signup
from tenant_apps.traffic.models import Repository, TrafficDay
from tenants.models import Store
from tests.support.stores import in_store


def demo_counts(store) -> dict:
    with in_store(store):
        signup_days = Signup.objects.order_by("created_at").values_list("created_at", flat=True)
        return {
            "products_with_images": Product.objects.exclude(image="").count(),
            "categories": Category.objects.count(),
            "order_statuses": sorted(set(Order.objects.values_list("status", flat=True))),
            "orders": Order.objects.count(),
            "signups": Signup.objects.count(),
            "signup_span_over_30_days": (signup_days.last() - signup_days.first())
            > timedelta(days=30),
            "conversations": Conversation.objects.count(),
            "chat_statuses": sorted(set(Chat.objects.values_list("status", flat=True))),
            "repositories": Repository.objects.count(),
            "traffic_days": TrafficDay.objects.count(),
        }


def test_the_demo_store_is_full_and_a_second_run_adds_nothing(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        printed = io.StringIO()
        call_command("demo_setup", stdout=printed)
    store = Store.objects.get(slug="demo")
    first = demo_counts(store)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_setup", stdout=io.StringIO())

    assert first == {
        "products_with_images": 12,
        "categories": 4,
        "order_statuses": ["accepted", "cancelled", "delivered", "placed", "shipped"],
        "orders": 9,
        "signups": 36,
        "signup_span_over_30_days": True,
        "conversations": 5,
        "chat_statuses": ["queued", "sent"],
        "repositories": 1,
        "traffic_days": 45,
    }
    assert demo_counts(store) == first
    assert "console       http://localhost:8000/login?next=/stores" in printed.getvalue()
    with in_store(store):
        today = timezone.localdate()
        assert TrafficDay.objects.filter(date=today - timedelta(days=1)).exists()
