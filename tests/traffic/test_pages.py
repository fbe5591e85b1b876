"""The chart pages at /users/<api token>/repos[/<id>]: who sees what, and the date filters."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from tenant_apps.traffic.models import TrafficDay
from tenant_apps.traffic.services import repository_create
from tenant_apps.traffic.tasks import traffic_fetch_task
from tests.support.stores import in_store, store_host

FULL_NAME = "HackSoftware/Django-Styleguide"
FIRST_DAY = date(2024, 2, 16)  # the window's partial oldest day at the fake's start
LAST_DAY = date(2024, 3, 1)


@pytest.fixture
def fetched(traffic_store, store_a, fake_github):
    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
    return traffic_store


def page(store, path):
    return Client(HTTP_HOST=store_host(store)).get(path)


def days_between(start, end):
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def test_detail_page_shows_the_stored_numbers(fetched, store_a, api_token_a, fake_github):
    response = page(store_a, f"/users/{api_token_a}/repos/{fetched.id}")

    assert response.status_code == 200
    window = fake_github.window(FULL_NAME)
    chart = response.context["chart"]
    assert chart["labels"] == days_between(FIRST_DAY, LAST_DAY)
    for series in ("views", "unique_views", "clones", "unique_clones"):
        assert chart[series] == [window[day][series] for day in sorted(window)]
    totals = response.context["totals"]
    assert totals.views == sum(counts["views"] for counts in window.values())
    assert totals.unique_clones == sum(counts["unique_clones"] for counts in window.values())
    html = response.content.decode()
    assert f'<strong id="total-views">{totals.views}</strong>' in html
    assert [row.referrer for row in response.context["referrers"]] == [
        row["referrer"] for row in fake_github.referrers(FULL_NAME)
    ]
    assert [row.path for row in response.context["paths"]] == [
        row["path"] for row in fake_github.paths(FULL_NAME)
    ]
    # The chart library is ours; no script comes from another site
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/static/vendor/chart.umd.js",
        "/static/traffic/charts.js",
    ]
    # The URL holds a credential: never cached, never sent on as a Referer
    assert '<meta name="referrer" content="no-referrer">' in html
    assert "no-store" in response["Cache-Control"]


def test_list_page_has_one_chart_per_repository(fetched, store_a, seller_a, api_token_a):
    with in_store(store_a):
        empty = repository_create(seller=seller_a, url="https://github.com/acme/quiet")

    response = page(store_a, f"/users/{api_token_a}/repos")

    assert response.status_code == 200
    items = response.context["repositories"]
    assert [item["repository"].id for item in items] == [fetched.id, empty.id]
    assert items[0]["chart"]["labels"] == days_between(FIRST_DAY, LAST_DAY)
    assert items[1]["chart"]["labels"] == []
    html = response.content.decode()
    assert html.count("<canvas") == 1
    assert f'id="chart-{fetched.id}"' in html
    # Links are relative: the page never writes the key of its own URL into the HTML.
    assert f'href="repos/{fetched.id}"' in html
    assert api_token_a not in html


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ("", FIRST_DAY, LAST_DAY),
        (f"?start={FIRST_DAY}", FIRST_DAY, LAST_DAY),
        (f"?end={LAST_DAY}", FIRST_DAY, LAST_DAY),
        (f"?start={FIRST_DAY}&end={LAST_DAY}", FIRST_DAY, LAST_DAY),
        (f"?start={FIRST_DAY + timedelta(days=1)}", FIRST_DAY + timedelta(days=1), LAST_DAY),
        (f"?end={LAST_DAY - timedelta(days=1)}", FIRST_DAY, LAST_DAY - timedelta(days=1)),
        ("?start=2024-02-20&end=2024-02-20", date(2024, 2, 20), date(2024, 2, 20)),
        ("?start=2024-01-01&end=2024-12-31", FIRST_DAY, LAST_DAY),
        ("?start=2024-02-29&end=2024-03-01", date(2024, 2, 29), LAST_DAY),
        ("?start=&end=", FIRST_DAY, LAST_DAY),
    ],
)
def test_date_filters_are_inclusive(fetched, store_a, api_token_a, query, first, last):
    for path in (f"/users/{api_token_a}/repos/{fetched.id}", f"/users/{api_token_a}/repos"):
        response = page(store_a, path + query)

        assert response.status_code == 200
        chart = response.context.get("chart") or response.context["repositories"][0]["chart"]
        assert chart["labels"] == days_between(first, last), path


@pytest.mark.parametrize(
    "query", ["?start=2024-03-02", "?end=2024-02-15", "?start=2023-01-01&end=2023-01-31"]
)
def test_a_period_without_traffic_shows_no_chart(fetched, store_a, api_token_a, query):
    response = page(store_a, f"/users/{api_token_a}/repos/{fetched.id}{query}")

    assert response.status_code == 200
    assert response.context["chart"]["labels"] == []
    assert response.context["totals"].views == 0
    assert "No traffic stored in these dates." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?start=2024-13-01", "The start date '2024-13-01' is not a date like 2024-01-31."),
        ("?end=2024-02-30", "The end date '2024-02-30' is not a date like 2024-01-31."),
        ("?start=2024-2-1", "The start date '2024-2-1' is not a date like 2024-01-31."),
        ("?start=yesterday", "The start date 'yesterday' is not a date like 2024-01-31."),
        ("?end=20240201", "The end date '20240201' is not a date like 2024-01-31."),
        (
            "?start=2024-02-21&end=2024-02-20",
            "The start date 2024-02-21 is after the end date 2024-02-20.",
        ),
    ],
)
def test_bad_dates_give_a_400_page_with_a_clear_message(
    fetched, store_a, api_token_a, query, message
):
    for path in (f"/users/{api_token_a}/repos/{fetched.id}", f"/users/{api_token_a}/repos"):
        response = page(store_a, path + query)

        assert response.status_code == 400
        assert (
            f'<p class="error" id="traffic-error">{message}</p>'
            in response.content.decode().replace("&#x27;", "'")
        )


def test_a_failed_fetch_is_shown_on_the_page(traffic_store, store_a, api_token_a, fake_github):
    fake_github.repositories[FULL_NAME.lower()].push_tokens.clear()
    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))

    html = page(store_a, f"/users/{api_token_a}/repos/{traffic_store.id}").content.decode()

    assert "Last fetch failed: The store&#x27;s GitHub token has no push access" in html


def test_unknown_tokens_and_other_people_get_404(
    fetched, store_a, store_b, api_token_a, api_token_b, member_a
):
    _, member_token = member_a
    refused = [
        (store_a, f"/users/{'0' * 32}/repos"),
        (store_a, f"/users/{'0' * 32}/repos/{fetched.id}"),
        # store B's owner is no member of store A
        (store_a, f"/users/{api_token_b}/repos"),
        (store_a, f"/users/{api_token_b}/repos/{fetched.id}"),
        # a member of store A who does not own the repository
        (store_a, f"/users/{member_token}/repos/{fetched.id}"),
        # store A's token on store B's host
        (store_b, f"/users/{api_token_a}/repos"),
        (store_b, f"/users/{api_token_a}/repos/{fetched.id}"),
        (store_a, f"/users/{api_token_a}/repos/not-an-id"),
    ]
    for store, path in refused:
        response = page(store, path)

        assert response.status_code == 404, path
        assert FULL_NAME not in response.content.decode()
    # the other member sees their own (empty) list, not the owner's repositories
    member_list = page(store_a, f"/users/{member_token}/repos")
    assert member_list.status_code == 200
    assert member_list.context["repositories"] == []
    with in_store(store_a):
        assert TrafficDay.objects.filter(repository=fetched).count() == 15


def test_pages_answer_get_only(fetched, store_a, api_token_a):
    response = Client(HTTP_HOST=store_host(store_a)).post(f"/users/{api_token_a}/repos")

    assert response.status_code == 405
