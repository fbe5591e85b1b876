"""Analytics in the console: the dashboard inside the frame, the old address redirecting, the
Overview's figure of today, and the ingestion tokens under Settings."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tenant_apps.analytics.models import IngestionToken
from tenant_apps.analytics.services import analytics_events_ingest, ingestion_token_create
from tests.console.test_shell import menu_of
from tests.support.analytics import event
from tests.support.console import console_client
from tests.support.stores import in_store, store_host


def text(response) -> str:
    return response.content.decode()


def test_the_dashboard_is_a_console_page_with_the_stores_timezone(store_a):
    page = console_client(store_a).get("/console/analytics/")

    assert page.status_code == 200
    assert menu_of(text(page))[1] == ["Analytics"]
    assert '<option value="Asia/Kolkata" selected>' in text(page)
    assert 'data-store-timezone="Asia/Kolkata"' in text(page)
    assert text(page).count('class="card kpi"') == 12
    assert 'class="analytics-table stack"' in text(page)


def test_the_old_address_redirects_with_its_query(store_a):
    answer = console_client(store_a).get("/dashboard/analytics/?start=2026-01-01&end=2026-01-02")

    assert answer.status_code == 301
    assert answer["Location"] == "/console/analytics/?start=2026-01-01&end=2026-01-02"


def test_strangers_are_refused_and_anonymous_go_to_login(store_a, store_b):
    stranger = console_client(store_a, seller=store_b.owner).get("/console/analytics/")
    anonymous = Client(HTTP_HOST=store_host(store_a)).get("/console/analytics/")

    assert stranger.status_code == 403
    assert anonymous["Location"] == "/login?next=%2Fconsole%2Fanalytics%2F"


def test_the_overview_shows_todays_support_conversations(store_a):
    now = timezone.now().replace(microsecond=0)
    earlier = (now - timedelta(minutes=5)).isoformat()
    with in_store(store_a):
        analytics_events_ingest(
            events=[
                event("created", earlier, conversation="c-1"),
                event("created", earlier, conversation="c-2"),
                event("closed", now.isoformat(), conversation="c-2"),
            ]
        )

    page = console_client(store_a).get("/console/")

    card = re.search(
        r'<a class="card figure" href="/console/analytics/">(.*?)</a>', text(page), re.S
    ).group(1)
    assert '<span class="figure-title">Support conversations today</span>' in card
    assert '<strong class="figure-value">2</strong>' in card
    assert "1 resolved · 1 open now" in card


def test_the_owner_creates_an_ingestion_token_shown_once_and_revokes_it(store_a):
    client = console_client(store_a)

    created = client.post("/console/settings/ingestion-tokens/", {"name": "helpdesk"})
    first = client.get("/console/settings/ingestion-tokens/")
    second = client.get("/console/settings/ingestion-tokens/")
    key = re.search(r'id="new-key-value" class="key-value" value="([^"]+)"', text(first)).group(1)
    with in_store(store_a):
        token = IngestionToken.objects.get(name="helpdesk")
        assert IngestionToken.lookup(key).pk == token.pk

    assert (created.status_code, created["Location"]) == (
        302,
        "/console/settings/ingestion-tokens/",
    )
    assert menu_of(text(first))[1] == ["Settings"]
    assert key not in text(second)
    assert "helpdesk" in text(second)

    client.post(f"/console/settings/ingestion-tokens/{token.pk}/revoke")
    with in_store(store_a):
        assert not IngestionToken.objects.exists()


def test_a_nameless_token_is_refused_and_an_unknown_one_cannot_be_revoked(store_a):
    client = console_client(store_a)
    with in_store(store_a):
        ingestion_token_create(name="kept")

    nameless = client.post("/console/settings/ingestion-tokens/", {"name": " "})
    unknown = client.post("/console/settings/ingestion-tokens/999999/revoke")
    page = client.get("/console/settings/ingestion-tokens/")

    assert nameless.status_code == 400
    assert '<p class="field-error">Give the key a name.</p>' in text(nameless)
    assert unknown.status_code == 302
    assert "No such ingestion token." in text(page)
    with in_store(store_a):
        assert list(IngestionToken.objects.values_list("name", flat=True)) == ["kept"]
