"""The CSV export (session login, members of this store only) and the old page's new home."""

import csv
import io
from datetime import UTC, datetime

from tenant_apps.signups.models import Signup
from tests.support.stores import api_client, in_store, store_host

PAGE = "/dashboard/signups/"


def test_the_old_page_moved_to_the_console(store_a, seller_a, anon_client_a):
    # The list, the month and the widget sites live in the console now (tests/console).
    member = api_client(store_host(store_a), user=seller_a).get(PAGE)
    anonymous = anon_client_a.get(PAGE)
    assert (member.status_code, member["Location"]) == (301, "/console/signups/")
    assert anonymous["Location"] == "/login?next=%2Fdashboard%2Fsignups%2F"


def test_anonymous_export_is_sent_to_login(anon_client_a):
    response = anon_client_a.get(PAGE + "export.csv")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=%2Fdashboard%2Fsignups%2Fexport.csv"


def test_member_of_another_store_is_refused(store_a, store_b, seller_b):
    with in_store(store_a):
        Signup.objects.create(email="secret@example.com")
    client = api_client(store_host(store_a), user=seller_b)  # a session on A's host
    export = client.get(PAGE + "export.csv")
    assert export.status_code == 403
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
