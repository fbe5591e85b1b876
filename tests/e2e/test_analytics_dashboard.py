"""The analytics dashboard in a real headless Chromium shows the numbers the API returns."""

import pytest
from django.test import Client

from tenant_apps.analytics.services import analytics_events_ingest
from tests.support.analytics import event
from tests.support.browser import live_url
from tests.support.stores import api_client, in_store, store_host

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DAY = "2026-11-02"


def story() -> list[dict]:
    at = f"{DAY}T{{}}:00+05:30".format
    return [
        event("created", at("10:00"), conversation="c-1"),
        event("assigned", at("10:01"), conversation="c-1", agent="asha"),
        event("agent_replied", at("10:05"), conversation="c-1", agent="asha"),  # 300 s
        event("customer_replied", at("10:10"), conversation="c-1"),
        event("agent_replied", at("10:12"), conversation="c-1", agent="asha"),  # reply 120 s
        event("closed", at("11:00"), conversation="c-1", agent="asha"),  # 3600 s
        event("created", at("12:00"), conversation="c-2", channel="mail"),
        event("customer_replied", at("12:00"), conversation="c-2", channel="mail"),
        event("created", "2026-11-01T09:00:00+05:30", conversation="c-0"),  # previous day
    ]


def session_cookie(store, seller) -> str:
    """Log in the way /login does: a session in the store's own schema."""
    client = Client(HTTP_HOST=store_host(store))
    with in_store(store):
        client.force_login(seller)
    return client.cookies["sessionid"].value


def test_dashboard_renders_the_api_numbers(make_store, live_server, page):
    store = make_store(name="Support Co", slug="supportco", timezone="Asia/Kolkata")
    with in_store(store):
        analytics_events_ingest(events=story())
    host = store_host(store)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": session_cookie(store, store.owner),
                "url": live_url(live_server, host, "/"),
            }
        ]
    )
    params = {"start": DAY, "end": DAY, "tz": "Asia/Kolkata"}
    expected = api_client(host, user=store.owner).get("/api/analytics/summary", params).json()
    agents = api_client(host, user=store.owner).get("/api/analytics/agents", params).json()

    page.goto(live_url(live_server, host, f"/dashboard/analytics/?start={DAY}&end={DAY}"))
    page.wait_for_selector("body[data-analytics-loaded]")

    def card(metric):
        return page.locator(f'.kpi[data-metric="{metric}"] [data-role="value"]')

    assert expected["conversations_created"] == 2
    for metric in ("conversations_created", "conversations_closed", "agent_replies",
                   "customer_replies", "open_now", "unassigned_now", "unattended_now"):  # fmt: skip
        assert card(metric).inner_text() == str(expected[metric]), metric
    for metric in ("avg_first_response_seconds", "avg_resolution_seconds", "avg_reply_seconds"):
        assert float(card(metric).get_attribute("data-value")) == expected[metric], metric
    assert expected["avg_first_response_seconds"] == 300.0
    assert card("avg_first_response_seconds").inner_text() == "5m 0s"
    assert card("avg_resolution_seconds").inner_text() == "1h 0m"
    assert card("avg_reply_seconds").inner_text() == "2m 0s"
    # Previous day had 1 conversation created: +100 %.
    change = page.locator('.kpi[data-metric="conversations_created"] [data-role="change"]')
    assert change.inner_text() == "+100% vs previous period"

    asha = page.locator('#agents-table tr[data-id="asha"]')
    assert asha.locator("td").first.inner_text() == "Asha"
    assert asha.locator('td[data-metric="agent_replies"]').inner_text() == str(
        agents[0]["agent_replies"]
    )
    assert page.locator("#channels-table tbody tr").count() == 2

    # The chart is drawn by our own Chart.js with the API's series.
    series = page.evaluate("window.analyticsDashboard.chart.data.datasets[0].data")
    assert series == [2]
    assert page.evaluate("typeof window.Chart") == "function"

    # Changing the timezone reloads from the API: in UTC c-0 (03:30Z on the 1st) stays out.
    page.select_option("#series-interval", "hour")
    page.wait_for_function("window.analyticsDashboard.series.length === 24")
    hourly = page.evaluate("window.analyticsDashboard.chart.data.datasets[0].data")
    assert hourly[10] == 1 and hourly[12] == 1 and sum(hourly) == 2


def test_dashboard_sends_strangers_to_login(make_store, live_server, page):
    store = make_store(name="Closed Co", slug="closedco")
    response = page.goto(live_url(live_server, store_host(store), "/dashboard/analytics/"))
    assert response.ok
    assert "/login" in page.url
