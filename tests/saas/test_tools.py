"""The tool registry: what each tool declares is what the platform provisions and serves."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from saas.tasks import registered_task
from saas.tools import console_entries, registered_tools, store_default_schedules
from tenants.models import StoreSchedule

ROOT = Path(settings.BASE_DIR)


def test_every_tenant_app_is_a_registered_tool_in_settings_order():
    tools = [tool.name for tool in registered_tools()]

    assert tools == [app for app in settings.TENANT_APPS if app.startswith("tenant_apps.")]
    assert tools == [
        "tenant_apps.signups",
        "tenant_apps.catalog",
        "tenant_apps.orders",
        "tenant_apps.conversations",
        "tenant_apps.analytics",
        "tenant_apps.traffic",
    ]
    assert all(tool.store_urls == f"{tool.name}.urls" for tool in registered_tools())


def test_declared_schedules_name_registered_celery_tasks():
    schedules = {schedule.key: schedule.task for schedule in store_default_schedules()}

    assert schedules == {
        "signup-digest": "tenant_apps.signups.tasks.signup_digest_task",
        "cart-cleanup": "tenant_apps.orders.tasks.cart_expired_delete_task",
        "otp-cleanup": "shared_apps.accounts.tasks.store_otp_challenges_expired_delete_task",
        "order-notifications-dispatch": (
            "tenant_apps.orders.tasks.order_notifications_dispatch_task"
        ),
        "conversation-mail-dispatch": (
            "tenant_apps.conversations.tasks.conversation_mail_dispatch_task"
        ),
        "traffic-fetch": "tenant_apps.traffic.tasks.traffic_fetch_all_task",
    }
    assert [registered_task(task).name for task in schedules.values()] == list(schedules.values())


def test_a_new_store_gets_each_declared_schedule_with_its_crontab(store_a):
    rows = {
        row.key: row.periodic_task
        for row in StoreSchedule.objects.filter(store=store_a).select_related(
            "periodic_task__crontab"
        )
    }

    for schedule in store_default_schedules():
        task: PeriodicTask = rows[schedule.key]
        assert task.task == schedule.task
        assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == (
            schedule.minute,
            schedule.hour,
            schedule.day_of_week,
        )
    assert len(rows) == len(store_default_schedules())


def test_store_setup_steps_ran_inside_the_new_store(store_a):
    from tenant_apps.signups.models import WidgetSite
    from tests.support.stores import in_store

    with in_store(store_a):
        origins = list(WidgetSite.objects.values_list("allowed_origins", flat=True))

    assert origins == [["http://alpha.localhost:8000"]]


def test_console_entries_are_ordered_and_each_reverses_on_a_store_host():
    entries = console_entries()

    assert [entry.label for entry in entries] == [
        "Products",
        "Orders",
        "Customers",
        "Signups",
        "Conversations",
        "Analytics",
        "Traffic",
    ]
    assert [entry.order for entry in entries] == [20, 30, 40, 50, 60, 70, 80]
    urls = [reverse(entry.url_name, urlconf="saas.urls_tenant") for entry in entries]
    assert urls == [
        "/console/products/",
        "/console/orders/",
        "/console/customers/",
        "/console/signups/",
        "/console/conversations/",
        "/console/analytics/",
        "/console/traffic/",
    ]


def test_platform_host_serves_the_urls_a_tool_declares_for_it():
    assert reverse("widget-script", urlconf="saas.urls_public") == "/static/widgets/signup.v1.js"


@pytest.mark.parametrize("core", ["saas", "tenants", "shared_apps"])
def test_the_platform_core_names_no_tool(core):
    tools = [tool.name for tool in registered_tools()]
    named = [
        f"{path.relative_to(ROOT)} names {tool}"
        for path in (ROOT / core).rglob("*.py")
        if "settings" not in path.parts and "migrations" not in path.parts
        for tool in tools
        if tool in path.read_text()
    ]

    assert named == []
