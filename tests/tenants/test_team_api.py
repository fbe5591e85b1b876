"""Owners run the store through the API: profile, team, periodic jobs and ingestion tokens.
Staff read what they may and get 403 owner_required for every change; nothing changes."""

import pytest
from django_celery_beat.models import PeriodicTask

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.analytics.models import IngestionToken
from tenant_apps.analytics.services import ingestion_token_create
from tenants.models import Store
from tests.support.stores import api_client, in_store, store_host


@pytest.fixture
def staff_a(store_a) -> Seller:
    seller = Seller.objects.create_user(mobile="+919800000071", name="Sita")
    StoreMembership.objects.create(store=store_a, seller=seller, role=StoreMembership.Role.STAFF)
    return seller


@pytest.fixture
def staff_client_a(store_a, staff_a):
    return api_client(store_host(store_a), jwt=seller_token_pair(staff_a)["access"])


def test_owner_changes_the_store_profile(client_a, store_a):
    answer = client_a.patch(
        "/api/store",
        {"name": "Alpha Pickles", "address": "2 Mill Rd", "timezone": "Asia/Dubai"},
        format="json",
    )

    store = Store.objects.get(pk=store_a.pk)
    assert answer.status_code == 200
    assert (answer.json()["name"], answer.json()["timezone"]) == ("Alpha Pickles", "Asia/Dubai")
    assert (store.name, store.address, store.timezone) == (
        "Alpha Pickles",
        "2 Mill Rd",
        "Asia/Dubai",
    )
    assert store.slug == "alpha"


def test_a_bad_timezone_changes_nothing(client_a, store_a):
    answer = client_a.patch("/api/store", {"timezone": "Mars/Olympus"}, format="json")

    assert (answer.status_code, answer.json()["code"]) == (400, "invalid_timezone")
    assert Store.objects.get(pk=store_a.pk).timezone == "Asia/Kolkata"


def test_staff_read_the_store_but_cannot_change_it(staff_client_a, store_a):
    read = staff_client_a.get("/api/store")
    change = staff_client_a.patch("/api/store", {"name": "Mine now"}, format="json")

    assert (read.status_code, read.json()["role"]) == (200, "staff")
    assert (change.status_code, change.json()["code"]) == (403, "owner_required")
    assert Store.objects.get(pk=store_a.pk).name == "Alpha"


def test_owner_invites_a_new_mobile_as_staff_and_a_seller_account_is_made(client_a, store_a):
    answer = client_a.post(
        "/api/store/members", {"mobile": "98765 43210", "role": "staff"}, format="json"
    )

    seller = Seller.objects.get(mobile="+919876543210")
    assert answer.status_code == 201
    assert (answer.json()["mobile"], answer.json()["role"]) == ("+919876543210", "staff")
    assert StoreMembership.objects.get(store=store_a, seller=seller).role == "staff"
    listed = client_a.get("/api/store/members").json()
    assert [(m["mobile"], m["role"]) for m in listed] == [
        ("+919800000001", "owner"),
        ("+919876543210", "staff"),
    ]


def test_inviting_twice_or_a_bad_mobile_is_refused(client_a, store_a):
    client_a.post("/api/store/members", {"mobile": "+919876543210"}, format="json")

    again = client_a.post("/api/store/members", {"mobile": "+919876543210"}, format="json")
    bad = client_a.post("/api/store/members", {"mobile": "12345"}, format="json")
    role = client_a.post(
        "/api/store/members", {"mobile": "+919876543211", "role": "admin"}, format="json"
    )

    assert (again.status_code, again.json()["code"]) == (409, "member_exists")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_mobile")
    assert (role.status_code, role.json()["code"]) == (400, "invalid_choice")
    assert StoreMembership.objects.filter(store=store_a).count() == 2
    assert not Seller.objects.filter(mobile="+919876543211").exists()


def test_the_last_owner_can_be_neither_demoted_nor_removed(client_a, store_a, seller_a):
    own = StoreMembership.objects.get(store=store_a, seller=seller_a)

    demote = client_a.patch(f"/api/store/members/{own.pk}", {"role": "staff"}, format="json")
    remove = client_a.delete(f"/api/store/members/{own.pk}")

    assert (demote.status_code, demote.json()["code"]) == (409, "last_owner")
    assert (remove.status_code, remove.json()["code"]) == (409, "last_owner")
    assert StoreMembership.objects.get(pk=own.pk).role == "owner"


def test_with_a_second_owner_the_first_can_leave_and_the_store_names_the_other(
    client_a, store_a, seller_a, staff_a
):
    staff = StoreMembership.objects.get(store=store_a, seller=staff_a)
    own = StoreMembership.objects.get(store=store_a, seller=seller_a)

    promoted = client_a.patch(f"/api/store/members/{staff.pk}", {"role": "owner"}, format="json")
    removed = client_a.delete(f"/api/store/members/{own.pk}")

    assert (promoted.status_code, promoted.json()["role"]) == (200, "owner")
    assert removed.status_code == 204
    assert not StoreMembership.objects.filter(pk=own.pk).exists()
    assert Store.objects.get(pk=store_a.pk).owner_id == staff_a.pk


def test_staff_cannot_read_or_change_the_team(staff_client_a, store_a, seller_a, staff_a):
    own = StoreMembership.objects.get(store=store_a, seller=seller_a)
    answers = [
        staff_client_a.get("/api/store/members"),
        staff_client_a.post("/api/store/members", {"mobile": "+919876543219"}, format="json"),
        staff_client_a.patch(f"/api/store/members/{own.pk}", {"role": "staff"}, format="json"),
        staff_client_a.delete(f"/api/store/members/{own.pk}"),
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(403, "owner_required")] * 4
    assert StoreMembership.objects.get(pk=own.pk).role == "owner"
    assert not Seller.objects.filter(mobile="+919876543219").exists()


def test_another_stores_membership_is_not_found(client_a, store_b, seller_b):
    theirs = StoreMembership.objects.get(store=store_b, seller=seller_b)

    answer = client_a.delete(f"/api/store/members/{theirs.pk}")

    assert (answer.status_code, answer.json()["code"]) == (404, "member_not_found")
    assert StoreMembership.objects.filter(pk=theirs.pk).exists()


def test_store_b_owner_cannot_use_store_a_team_api(store_a, seller_b):
    client = api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"])

    assert client.get("/api/store/members").status_code == 403
    assert client.patch("/api/store", {"name": "x"}, format="json").status_code == 403


def test_owner_reschedules_a_job_in_words(client_a, store_a):
    listed = client_a.get("/api/store/schedules").json()
    digest = next(s for s in listed if s["key"] == "signup-digest")

    answer = client_a.patch(
        "/api/store/schedules/signup-digest",
        {"enabled": False, "minute": 30, "hour": 9, "days": [5, 1]},
        format="json",
    )

    assert digest["schedule"] == "Mondays and Wednesdays at 08:00 UTC"
    assert answer.status_code == 200
    assert (answer.json()["schedule"], answer.json()["enabled"]) == (
        "Mondays and Fridays at 09:30 UTC",
        False,
    )
    task = PeriodicTask.objects.get(
        store_schedule__store=store_a, store_schedule__key="signup-digest"
    )
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "9", "1,5")


def test_a_bad_schedule_and_staff_change_nothing(client_a, staff_client_a, store_a):
    bad = client_a.patch(
        "/api/store/schedules/signup-digest",
        {"enabled": True, "minute": 60, "hour": 9, "days": []},
        format="json",
    )
    staff = staff_client_a.patch(
        "/api/store/schedules/signup-digest",
        {"enabled": False, "minute": 0, "hour": 1, "days": []},
        format="json",
    )
    missing = client_a.patch(
        "/api/store/schedules/nope", {"enabled": True, "minute": 0, "hour": 1, "days": []}
    )

    assert (bad.status_code, bad.json()["code"]) == (400, "max_value")
    assert (staff.status_code, staff.json()["code"]) == (403, "owner_required")
    assert (missing.status_code, missing.json()["code"]) == (404, "schedule_not_found")
    task = PeriodicTask.objects.get(
        store_schedule__store=store_a, store_schedule__key="signup-digest"
    )
    assert (task.enabled, task.crontab.minute, task.crontab.hour) == (True, "0", "8")


def test_staff_list_ingestion_tokens_but_cannot_create_or_revoke(staff_client_a, store_a):
    with in_store(store_a):
        token, _ = ingestion_token_create(name="helpdesk")

    listed = staff_client_a.get("/api/analytics/tokens")
    created = staff_client_a.post("/api/analytics/tokens", {"name": "mine"}, format="json")
    revoked = staff_client_a.delete(f"/api/analytics/tokens/{token.pk}")

    assert [t["name"] for t in listed.json()] == ["helpdesk"]
    assert (created.status_code, created.json()["code"]) == (403, "owner_required")
    assert (revoked.status_code, revoked.json()["code"]) == (403, "owner_required")
    with in_store(store_a):
        assert list(IngestionToken.objects.values_list("name", flat=True)) == ["helpdesk"]


def test_staff_see_jobs_and_tokens_in_the_store_admin_but_cannot_change_them(store_a, staff_a):
    client = api_client(store_host(store_a), user=staff_a)
    with in_store(store_a):
        token, _ = ingestion_token_create(name="helpdesk")
    schedule = store_a.schedules.get(key="signup-digest")

    jobs = client.get("/admin/tenants/storeschedule/")
    change = client.post(
        f"/admin/tenants/storeschedule/{schedule.pk}/change/",
        {"enabled": "", "minute": "5", "hour": "5", "day_of_week": "*", "day_of_month": "*",
         "month_of_year": "*"},
    )  # fmt: skip
    delete = client.post(f"/admin/analytics/ingestiontoken/{token.pk}/delete/", {"post": "yes"})

    assert jobs.status_code == 200
    assert change.status_code == 403
    assert delete.status_code == 403
    task = PeriodicTask.objects.get(store_schedule=schedule)
    assert (task.enabled, task.crontab.minute) == (True, "0")
    with in_store(store_a):
        assert IngestionToken.objects.filter(pk=token.pk).exists()


def test_the_owner_still_edits_jobs_in_the_store_admin(store_a, seller_a):
    client = api_client(store_host(store_a), user=seller_a)
    schedule = store_a.schedules.get(key="signup-digest")

    change = client.post(
        f"/admin/tenants/storeschedule/{schedule.pk}/change/",
        {"enabled": "on", "minute": "5", "hour": "7", "day_of_week": "1", "day_of_month": "*",
         "month_of_year": "*"},
    )  # fmt: skip

    assert change.status_code == 302
    assert PeriodicTask.objects.get(store_schedule=schedule).crontab.hour == "7"
