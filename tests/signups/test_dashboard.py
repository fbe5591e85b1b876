"""The seller's signups page and CSV export (session login, members of this store only)."""

import csv
import io
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from tenant_apps.signups.models import Signup, WidgetSite
from tests.support.stores import api_client, in_store, store_host

PAGE = "/dashboard/signups/"


def test_member_sees_headline_list_in_store_time_and_snippet(store_a, seller_a):
    now = timezone.now()
    with in_store(store_a):
        Signup.objects.create(email="old@example.com", created_at=datetime(2024, 1, 1, tzinfo=UTC))
        Signup.objects.create(
            email="ada@example.com",
            name="Ada <script>",
            page_url="https://shop.example/tea",
            created_at=datetime(2025, 3, 1, 18, 45, tzinfo=UTC),
        )
        Signup.objects.create(email="new@example.com", created_at=now - timedelta(seconds=5))
        key = WidgetSite.objects.get().key
    client = api_client(store_host(store_a), user=seller_a)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="signups-headline">1 new signup this month</h1>' in html
    assert "2025-03-02 00:15 IST" in html  # 18:45 UTC is 00:15 the next day in Kolkata
    assert "Ada &lt;script&gt;" in html
    assert (
        html.index("new@example.com")
        < html.index("ada@example.com")
        < html.index("old@example.com")
    )
    assert (
        f"&lt;script src=&quot;http://localhost:8000/static/widgets/signup.v1.js&quot; "
        f"data-site-key=&quot;{key}&quot; "
        f"data-endpoint=&quot;http://alpha.localhost:8000/api/widget/signups&quot; async&gt;"
        f"&lt;/script&gt;"
    ) in html


def test_dashboard_pages_hold_50(store_a, seller_a):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with in_store(store_a):
        Signup.objects.bulk_create(
            Signup(email=f"p{i:02d}@example.com", created_at=start + timedelta(minutes=i))
            for i in range(51)
        )
    client = api_client(store_host(store_a), user=seller_a)

    first = client.get(PAGE).content.decode()
    second = client.get(PAGE + "?page=2").content.decode()

    assert first.count("@example.com</td>") == 50
    assert "p50@example.com" in first and "p00@example.com" not in first
    assert second.count("@example.com</td>") == 1 and "p00@example.com" in second
    assert "page 1 of 2" in first


def test_anonymous_is_sent_to_login(anon_client_a):
    response = anon_client_a.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/login?next=%2Fdashboard%2Fsignups%2F"


def test_member_of_another_store_is_refused(store_a, store_b, seller_b):
    with in_store(store_a):
        Signup.objects.create(email="secret@example.com")
    client = api_client(store_host(store_a), user=seller_b)  # a session on A's host
    response = client.get(PAGE)
    export = client.get(PAGE + "export.csv")
    assert response.status_code == 403
    assert export.status_code == 403
    assert "secret@example.com" not in response.content.decode()
    assert (
        "secret@example.com" not in b"".join(getattr(export, "streaming_content", [b""])).decode()
    )


def test_csv_export_in_store_time_and_formula_safe(store_a, seller_a):
    with in_store(store_a):
        Signup.objects.create(
            email="=cmd@example.com",
            name="+Eve, Jr.",
            consent=True,
            consent_at=datetime(2025, 3, 1, 18, 45, tzinfo=UTC),
            created_at=datetime(2025, 3, 1, 18, 45, tzinfo=UTC),
        )
        Signup.objects.create(email="b@example.com", created_at=datetime(2025, 3, 2, tzinfo=UTC))
    client = api_client(store_host(store_a), user=seller_a)

    response = client.get(PAGE + "export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="signups-alpha-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["email", "name", "page_url", "consent", "consent_at", "created_at", "site"],
        ["b@example.com", "", "", "no", "", "2025-03-02T05:30:00+05:30", ""],
        ["'=cmd@example.com", "'+Eve, Jr.", "", "yes", "2025-03-02T00:15:00+05:30",
         "2025-03-02T00:15:00+05:30", ""],
    ]  # fmt: skip


def test_dashboard_is_not_on_the_platform_host(platform_client):
    assert platform_client.get(PAGE).status_code == 404
