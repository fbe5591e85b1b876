"""The seller's signups: newest first, `since`, and counts by calendar month in store time."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from tenant_apps.signups.models import Signup
from tenant_apps.signups.selectors import signup_stats
from tests.support.stores import api_client, in_store, store_host


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_signups(store, *moments_and_emails):
    with in_store(store):
        for moment, email in moments_and_emails:
            Signup.objects.create(email=email, created_at=moment)


def test_list_is_newest_first_with_the_documented_fields(store_a, client_a):
    make_signups(
        store_a,
        (utc(2025, 3, 1, 10), "old@example.com"),
        (utc(2025, 3, 2, 10), "new@example.com"),
    )

    response = client_a.get("/api/signups")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [s["email"] for s in body["results"]] == ["new@example.com", "old@example.com"]
    assert body["results"][0] == {
        "id": body["results"][0]["id"],
        "email": "new@example.com",
        "name": "",
        "page_url": "",
        "consent": False,
        "consent_at": None,
        "site_id": None,
        "created_at": "2025-03-02T10:00:00Z",
    }


def test_list_pages_hold_50(store_a, client_a):
    start = utc(2025, 1, 1)
    make_signups(store_a, *[(start + timedelta(minutes=i), f"p{i}@example.com") for i in range(55)])

    first = client_a.get("/api/signups").json()
    second = client_a.get("/api/signups?page=2").json()

    assert (first["count"], len(first["results"]), len(second["results"])) == (55, 50, 5)
    assert first["results"][0]["email"] == "p54@example.com"
    assert second["results"][-1]["email"] == "p0@example.com"
    assert first["next"].endswith("/api/signups?page=2")


def test_since_filters_by_instant_or_local_date(store_a, client_a):
    # Alpha is Asia/Kolkata: 2025-03-02 starts at 2025-03-01 18:30 UTC.
    make_signups(
        store_a,
        (utc(2025, 3, 1, 18, 29), "before@example.com"),
        (utc(2025, 3, 1, 18, 30), "midnight@example.com"),
        (utc(2025, 3, 3), "later@example.com"),
    )

    by_date = client_a.get("/api/signups?since=2025-03-02").json()
    by_instant = client_a.get("/api/signups", {"since": "2025-03-02T00:00:00Z"}).json()

    assert [s["email"] for s in by_date["results"]] == ["later@example.com", "midnight@example.com"]
    assert [s["email"] for s in by_instant["results"]] == ["later@example.com"]


def test_bad_since_is_400(client_a):
    for value in ("yesterday", "2025-13-01", ""):
        response = client_a.get("/api/signups", {"since": value})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_since"


def test_stats_api(store_a, client_a):
    now = timezone.now()
    make_signups(
        store_a,
        (now - timedelta(minutes=1), "a@example.com"),
        (now - timedelta(days=400), "b@example.com"),
    )

    response = client_a.get("/api/signups/stats")

    assert response.status_code == 200
    assert response.json() == {"this_month": 1, "last_month": 0, "last_7_days": 1, "total": 2}


def test_month_boundaries_follow_the_store_timezone_kolkata(store_a):
    # March 2025 in Asia/Kolkata (UTC+05:30) starts at 2025-02-28 18:30 UTC.
    make_signups(
        store_a,
        (utc(2025, 1, 31, 18, 29), "december-or-january@example.com"),  # 23:59 IST, 31 Jan
        (utc(2025, 1, 31, 18, 30), "first-of-february@example.com"),  # 00:00 IST, 1 Feb
        (utc(2025, 2, 28, 18, 29), "last-of-february@example.com"),  # 23:59 IST, 28 Feb
        (utc(2025, 2, 28, 18, 30), "first-of-march@example.com"),  # 00:00 IST, 1 Mar
        (utc(2025, 3, 5), "march@example.com"),
        (utc(2025, 3, 20), "future@example.com"),  # after `now`: not counted yet
    )
    with in_store(store_a):
        stats = signup_stats(now=utc(2025, 3, 10, 12))

    assert (stats.this_month, stats.last_month, stats.last_7_days, stats.total) == (2, 2, 1, 5)


def test_month_boundaries_follow_the_store_timezone_new_york(store_b):
    # April 2025 in America/New_York (EDT, UTC-4) starts at 2025-04-01 04:00 UTC.
    make_signups(
        store_b,
        (utc(2025, 3, 1, 4, 59), "february@example.com"),  # 23:59 EST, 28 Feb
        (utc(2025, 3, 1, 5, 0), "first-of-march@example.com"),  # 00:00 EST, 1 Mar
        (utc(2025, 4, 1, 3, 59), "last-of-march@example.com"),  # 23:59 EDT, 31 Mar
        (utc(2025, 4, 1, 4, 0), "first-of-april@example.com"),  # 00:00 EDT, 1 Apr
    )
    with in_store(store_b):
        at_start = signup_stats(now=utc(2025, 4, 1, 4, 0))
        before_start = signup_stats(now=utc(2025, 4, 1, 3, 59, 59))

    assert (at_start.this_month, at_start.last_month, at_start.total) == (1, 2, 4)
    assert (before_start.this_month, before_start.last_month, before_start.total) == (2, 1, 3)


def test_last_month_wraps_the_year(store_a):
    make_signups(
        store_a,
        (utc(2024, 11, 30, 18, 29), "november@example.com"),
        (utc(2024, 11, 30, 18, 30), "december@example.com"),
        (utc(2024, 12, 31, 18, 30), "january@example.com"),
    )
    with in_store(store_a):
        stats = signup_stats(now=utc(2025, 1, 2))
    assert (stats.this_month, stats.last_month, stats.total) == (1, 1, 3)


def test_store_b_member_is_refused_on_store_a(store_a, seller_b, api_token_b):
    make_signups(store_a, (utc(2025, 3, 1), "secret@example.com"))
    from saas.api.authentication import seller_token_pair

    for client in (
        api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"]),
        api_client(store_host(store_a), token=api_token_b),
    ):
        for path in ("/api/signups", "/api/signups/stats"):
            response = client.get(path)
            assert response.status_code == 403
            assert "secret@example.com" not in response.content.decode()


def test_each_store_lists_only_its_own_signups(store_a, store_b, client_a, client_b):
    make_signups(store_a, (utc(2025, 3, 1), "a-only@example.com"))
    make_signups(store_b, (utc(2025, 3, 1), "b-only@example.com"))
    assert [s["email"] for s in client_a.get("/api/signups").json()["results"]] == [
        "a-only@example.com"
    ]
    assert [s["email"] for s in client_b.get("/api/signups").json()["results"]] == [
        "b-only@example.com"
    ]
