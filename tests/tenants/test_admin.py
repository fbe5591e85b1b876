from html import escape

import pytest
from django_celery_beat.models import PeriodicTask

from saas.tools import store_default_schedules
from shared_apps.accounts.models import Seller
from tenants.models import StoreSchedule
from tests.support.stores import PLATFORM_HOST, api_client, store_host


def test_store_admin_lists_only_this_stores_schedules(store_a, store_b, seller_a):
    client = api_client(store_host(store_a), user=seller_a)

    page = client.get("/admin/tenants/storeschedule/")

    assert page.status_code == 200
    html = page.content.decode()
    own = PeriodicTask.objects.filter(store_schedule__store=store_a)
    other = PeriodicTask.objects.filter(store_schedule__store=store_b)
    assert own.count() == len(store_default_schedules())
    assert all(escape(task.name) in html for task in own)
    assert not any(escape(task.name) in html for task in other)


def test_store_admin_edits_a_schedule_without_touching_its_store_header(store_a, seller_a):
    schedule = StoreSchedule.objects.get(store=store_a, key="signup-digest")
    headers_before = schedule.periodic_task.headers
    client = api_client(store_host(store_a), user=seller_a)

    response = client.post(
        f"/admin/tenants/storeschedule/{schedule.pk}/change/",
        {"enabled": "", "minute": "30", "hour": "7", "day_of_week": "1,5",
         "day_of_month": "*", "month_of_year": "*"},
    )  # fmt: skip

    assert response.status_code == 302
    task = PeriodicTask.objects.get(pk=schedule.periodic_task_id)
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "7", "1,5")
    assert task.enabled is False
    assert task.headers == headers_before


def test_store_admin_refuses_a_bad_crontab_and_changes_nothing(store_a, seller_a):
    schedule = StoreSchedule.objects.get(store=store_a, key="signup-digest")
    client = api_client(store_host(store_a), user=seller_a)

    response = client.post(
        f"/admin/tenants/storeschedule/{schedule.pk}/change/",
        {"enabled": "on", "minute": "99", "hour": "7", "day_of_week": "1",
         "day_of_month": "*", "month_of_year": "*"},
    )  # fmt: skip

    assert response.status_code == 200  # the form again, with the error
    task = PeriodicTask.objects.get(pk=schedule.periodic_task_id)
    assert (task.crontab.minute, task.crontab.hour) == ("0", "8")


def test_store_admin_cannot_open_another_stores_schedule(store_a, store_b, seller_a):
    other = StoreSchedule.objects.get(store=store_b, key="signup-digest")
    client = api_client(store_host(store_a), user=seller_a)

    response = client.get(f"/admin/tenants/storeschedule/{other.pk}/change/")

    assert response.status_code == 302  # admin redirects away from objects it cannot see
    assert response["Location"] == "/admin/"


def test_store_admin_sends_anonymous_visitors_to_otp_login(anon_client_a):
    response = anon_client_a.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login = anon_client_a.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"] == "/login?next=%2Fadmin%2F"


@pytest.mark.parametrize("path", ["/admin/", "/admin/tenants/storeschedule/"])
def test_store_admin_is_forbidden_to_a_seller_of_another_store(store_b, seller_a, path):
    client = api_client(store_host(store_b), user=seller_a)
    response = client.get(path)
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 403


def test_platform_admin_is_for_platform_staff(db, seller_a):
    staff = Seller.objects.create_superuser(email="root@example.com", password="s3cret-pass-1")
    client = api_client(PLATFORM_HOST)
    seller_view = api_client(PLATFORM_HOST, user=seller_a).get("/admin/tenants/store/")
    assert client.login(username="root@example.com", password="s3cret-pass-1")

    stores = client.get("/admin/tenants/store/")

    assert stores.status_code == 200
    assert "Alpha" in stores.content.decode() and "Beta" in stores.content.decode()
    assert seller_view.status_code == 302  # not staff: sent to the admin login
    assert staff.is_staff
