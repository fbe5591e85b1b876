"""The console's Signups section: today's list, the month, the CSV, and the widget sites
(add, origins, switch off, rotate, snippet, preview, refused origins with Allow)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from saas.access.timezone import current_store_timezone
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.signups.models import RefusedOrigin, Signup, WidgetSite
from tenant_apps.signups.selectors import store_day_start
from tenant_apps.signups.services import widget_preview_token, widget_site_create
from tests.support.console import console_client
from tests.support.signups import widget_client
from tests.support.stores import in_store, store_host

WIDGET = "/api/widget/signups"
STRANGER = "https://blog.alpha.example"


@pytest.fixture(autouse=True)
def _fresh_cache(redis_clean):
    """Refused-origin gates and throttles start empty."""


@pytest.fixture
def site(store_a) -> WidgetSite:
    with in_store(store_a):
        return widget_site_create(name="Tea blog", allowed_origins=["https://shop.alpha.example"])


def html_of(response) -> str:
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def sites_in(store) -> list[tuple]:
    with in_store(store):
        return list(WidgetSite.objects.order_by("id").values_list("name", "allowed_origins"))


# --- the signups page ---------------------------------------------------------------------


def test_the_page_lists_today_in_store_time_with_the_month_and_a_csv(store_a):
    with in_store(store_a):
        today_start = store_day_start()
        zone = current_store_timezone()
        Signup.objects.create(email="first@example.com", name="Ada", created_at=today_start)
        Signup.objects.create(
            email="latest@example.com",
            page_url="https://shop.alpha.example/tea",
            created_at=timezone.now() - timedelta(seconds=5),
        )
        Signup.objects.create(email="yesterday@example.com", created_at=today_start - timedelta(1))
        Signup.objects.create(email="old@example.com", created_at=datetime(2024, 1, 5, tzinfo=UTC))
    yesterday_local = timezone.localtime(today_start - timedelta(1), zone)
    this_month = 2 + (yesterday_local.month == timezone.localtime(today_start, zone).month)

    response = console_client(store_a).get("/console/signups/")

    html = html_of(response)
    assert response.status_code == 200
    assert '<strong class="figure-value" id="signups-today">2</strong>' in html
    assert f'<strong class="figure-value" id="signups-month">{this_month}</strong>' in html
    listed = html[html.index('id="signups-today-list"') :]
    assert listed.index("latest@example.com") < listed.index("first@example.com")
    assert "yesterday@example.com" not in html and "old@example.com" not in html
    assert '<td data-label="Time"><time datetime="' in html
    assert ">00:00</time>" in html  # local midnight in Asia/Kolkata, not 18:30 UTC
    assert "Times in Asia/Kolkata." in html
    assert 'href="/console/signups/export.csv" download' in html

    export = console_client(store_a).get("/console/signups/export.csv")
    body = b"".join(export.streaming_content).decode()
    assert export.status_code == 200
    assert body.splitlines()[0] == "email,name,page_url,consent,consent_at,created_at,site"
    assert len(body.splitlines()) == 5


def test_an_empty_day_says_so_and_points_at_the_widget(store_a):
    html = html_of(console_client(store_a).get("/console/signups/"))
    assert "No signups yet today. Put the widget on your website: " in text_of(html)
    assert '<a href="/console/signups/sites/">get its snippet</a>' in html


def test_the_old_dashboard_moved_to_the_console(store_a):
    response = console_client(store_a).get("/dashboard/signups/")
    assert (response.status_code, response["Location"]) == (301, "/console/signups/")


def test_strangers_and_anonymous_visitors_get_nothing(store_a, store_b, site):
    with in_store(store_a):
        Signup.objects.create(email="secret@example.com")
    pages = ["/console/signups/", "/console/signups/sites/", f"/console/signups/sites/{site.pk}/",
             f"/console/signups/sites/{site.pk}/preview"]  # fmt: skip
    for path in pages:
        stranger = console_client(store_a, seller=store_b.owner).get(path)
        anonymous = Client(HTTP_HOST=store_host(store_a)).get(path)
        assert stranger.status_code == 403, path
        assert "secret@example.com" not in html_of(stranger)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login?next=")
    refused = console_client(store_a, seller=store_b.owner).post(
        f"/console/signups/sites/{site.pk}/switch", {"is_active": "off"}
    )
    assert refused.status_code == 403
    with in_store(store_a):
        assert WidgetSite.objects.get(pk=site.pk).is_active is True


def test_staff_manage_widget_sites_too(store_a):
    staff = Seller.objects.create_user(mobile="+919800000555")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)

    response = console_client(store_a, seller=staff).post(
        "/console/signups/sites/", {"name": "Staff site", "allowed_origins": ""}
    )

    assert response.status_code == 302
    assert sites_in(store_a)[-1] == ("Staff site", [])


# --- widget sites -------------------------------------------------------------------------


def test_add_a_website_with_its_origins_one_per_line(store_a):
    client = console_client(store_a)

    response = client.post(
        "/console/signups/sites/",
        {"name": " Tea blog ",
         "allowed_origins": "HTTPS://Blog.Example.com/\n\n  http://localhost:8081 \n"},
    )  # fmt: skip

    with in_store(store_a):
        site = WidgetSite.objects.order_by("-id").first()
    assert (response.status_code, response["Location"]) == (
        302,
        f"/console/signups/sites/{site.pk}/",
    )
    assert (site.name, site.allowed_origins) == (
        "Tea blog", ["https://blog.example.com", "http://localhost:8081"]
    )  # fmt: skip
    page = client.get(response["Location"])
    html = html_of(page)
    assert "“Tea blog” is added. Put its snippet on your pages." in html
    assert '<label for="snippet">Paste this snippet before' in html
    assert f"data-site-key=&quot;{site.key}&quot;" in html
    assert '<button type="button" class="secondary" data-copy="snippet" hidden>Copy snippet' in html
    assert f'src="/console/signups/sites/{site.pk}/preview"' in html


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"name": "", "allowed_origins": ""}, "name", "Give the website a name, like “My shop”."),
        ({"name": "Blog", "allowed_origins": "https://ok.example\nblog.example.com/about"},
         "allowed_origins",
         "“blog.example.com/about” is not a website address. Write it like "
         "https://shop.example.com (http:// or https://, an optional :port, no page path)."),
        ({"name": "Blog", "allowed_origins": "\n".join(f"https://s{i}.example" for i in range(21))},
         "allowed_origins", "A website can allow at most 20 addresses; remove some."),
    ],
)  # fmt: skip
def test_a_bad_website_is_explained_next_to_its_field_and_nothing_is_added(
    store_a, fields, field, message
):
    before = sites_in(store_a)

    response = console_client(store_a).post("/console/signups/sites/", fields)

    html = html_of(response)
    assert response.status_code == 400
    assert f'<p class="field-error" id="id_{field}-error">{message}</p>' in html
    assert f'id="id_{field}"' in html and "aria-invalid" in html
    assert "Ensure this value" not in html
    assert sites_in(store_a) == before


def test_edit_origins_and_a_bad_line_changes_nothing(store_a, site):
    client = console_client(store_a)
    url = f"/console/signups/sites/{site.pk}/"

    bad = client.post(url, {"name": "Tea blog", "allowed_origins": "ftp://files.example"})
    good = client.post(url, {"name": "Tea journal", "allowed_origins": "https://journal.example"})

    assert bad.status_code == 400
    assert "“ftp://files.example” is not a website address." in html_of(bad)
    assert good.status_code == 302
    with in_store(store_a):
        site.refresh_from_db()
    assert (site.name, site.allowed_origins) == ("Tea journal", ["https://journal.example"])
    page = html_of(client.get(url))
    assert "“Tea journal” is saved." in page
    assert ">https://journal.example</textarea>" in page


def test_switch_off_and_on_and_rotate_the_key(store_a, site):
    client = console_client(store_a)
    base = f"/console/signups/sites/{site.pk}"

    off = client.post(f"{base}/switch", {"is_active": "off"})
    with in_store(store_a):
        assert WidgetSite.objects.get(pk=site.pk).is_active is False
    page_off = html_of(client.get(f"{base}/"))
    on = client.post(f"{base}/switch", {"is_active": "on"})
    rotated = client.post(f"{base}/rotate-key")

    assert off.status_code == on.status_code == rotated.status_code == 302
    assert "The widget of “Tea blog” is off: it takes no signups." in page_off
    assert "Widget off</span>" in page_off and "Switch the widget on</button>" in page_off
    with in_store(store_a):
        site_now = WidgetSite.objects.get(pk=site.pk)
    assert site_now.is_active is True
    assert site_now.key != site.key and site_now.key.startswith("pk_")
    page = html_of(client.get(f"{base}/"))
    assert "The site has a new key. Put the new snippet on your pages: the old one is off." in page
    assert f"data-site-key=&quot;{site_now.key}&quot;" in page
    old_key = widget_client(store_a).post(f"{WIDGET}?key={site.key}", {"email": "a@x.com"})
    assert (old_key.status_code, old_key.json()["code"]) == (403, "invalid_site_key")


def test_unknown_site_is_404_and_get_on_an_action_is_405(store_a):
    client = console_client(store_a)
    assert client.get("/console/signups/sites/9999/").status_code == 404
    assert client.post("/console/signups/sites/9999/rotate-key").status_code == 404
    assert client.get("/console/signups/sites/1/rotate-key").status_code == 405


# --- refused origins ----------------------------------------------------------------------


def refused_in(store) -> list[tuple]:
    with in_store(store):
        return list(RefusedOrigin.objects.values_list("origin", "times_seen"))


def test_a_refused_origin_is_readable_by_the_widget_and_allowed_from_the_console(store_a, site):
    visitor = widget_client(store_a, origin=STRANGER)
    preflight = visitor.options(f"{WIDGET}?key={site.key}")
    refused = visitor.post(f"{WIDGET}?key={site.key}", {"email": "v@example.com"}, format="json")

    assert (preflight.status_code, preflight["Access-Control-Allow-Origin"]) == (204, STRANGER)
    assert (refused.status_code, refused.json()["code"]) == (403, "origin_not_allowed")
    assert refused["Access-Control-Allow-Origin"] == STRANGER  # the widget can read why
    assert refused_in(store_a) == [(STRANGER, 1)]

    client = console_client(store_a)
    page = html_of(client.get(f"/console/signups/sites/{site.pk}/"))
    listed = html_of(client.get("/console/signups/sites/"))
    with in_store(store_a):
        refused_id = RefusedOrigin.objects.get().pk
    assert f"<code>{STRANGER}</code>" in page
    assert f'<button type="submit" aria-label="Allow {STRANGER}">Allow</button>' in page
    assert f'action="/console/signups/sites/{site.pk}/refused/{refused_id}/allow"' in page
    assert ">1 to review</a>" in listed

    allowed = client.post(f"/console/signups/sites/{site.pk}/refused/{refused_id}/allow")

    assert allowed.status_code == 302
    with in_store(store_a):
        site.refresh_from_db()
    assert site.allowed_origins == ["https://shop.alpha.example", STRANGER]
    assert refused_in(store_a) == []
    assert f"{STRANGER} may now use the widget." in html_of(client.get(allowed["Location"]))
    again = visitor.post(f"{WIDGET}?key={site.key}", {"email": "v@example.com"}, format="json")
    assert again.status_code == 201


def test_refusals_are_throttled_per_origin_and_bounded_per_site(store_a, site):
    for _ in range(3):
        widget_client(store_a, origin=STRANGER).post(
            f"{WIDGET}?key={site.key}", {"email": "v@example.com"}, format="json"
        )
    assert refused_in(store_a) == [(STRANGER, 1)]  # one write a minute per origin

    for number in range(25):
        widget_client(store_a, origin=f"https://s{number}.example").post(
            f"{WIDGET}?key={site.key}", {"email": "v@example.com"}, format="json"
        )

    kept = [origin for origin, _ in refused_in(store_a)]
    assert len(kept) == 20
    assert "https://s24.example" in kept and STRANGER not in kept


def test_a_refused_origin_already_listed_or_gone_is_explained(store_a, site):
    client = console_client(store_a)
    missing = client.post(f"/console/signups/sites/{site.pk}/refused/9999/allow")
    assert missing.status_code == 302
    page = html_of(client.get(missing["Location"]))
    assert "That address is no longer in the list of refused ones." in page
    with in_store(store_a):
        site.refresh_from_db()
    assert site.allowed_origins == ["https://shop.alpha.example"]


# --- the live preview ---------------------------------------------------------------------


def test_the_preview_page_runs_the_real_widget_and_keeps_nothing(store_a, site):
    page = console_client(store_a).get(f"/console/signups/sites/{site.pk}/preview")
    html = html_of(page)
    token = re.search(r'data-preview-token="([^"]+)"', html).group(1)
    own = f"http://{store_host(store_a)}"

    checked = widget_client(store_a, origin=own).post(
        f"{WIDGET}?key={site.key}", {"email": "seller@example.com"}, format="json",
        HTTP_X_WIDGET_PREVIEW=token,
    )  # fmt: skip
    bad_email = widget_client(store_a, origin=own).post(
        f"{WIDGET}?key={site.key}", {"email": "nope"}, format="json", HTTP_X_WIDGET_PREVIEW=token
    )
    elsewhere = widget_client(store_a, origin=STRANGER).post(
        f"{WIDGET}?key={site.key}", {"email": "s@example.com"}, format="json",
        HTTP_X_WIDGET_PREVIEW=token,
    )  # fmt: skip

    assert page.status_code == 200
    assert page["X-Frame-Options"] == "SAMEORIGIN"
    assert f'src="http://{store_host(store_a)}/static/widgets/signup.v1.js"' in html
    assert f'data-endpoint="http://{store_host(store_a)}/api/widget/signups"' in html
    assert (checked.status_code, checked.json()) == (200, {"status": "preview"})
    assert (bad_email.status_code, bad_email.json()["code"]) == (400, "invalid_email")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "origin_not_allowed")
    with in_store(store_a):
        assert Signup.objects.count() == 0


def test_a_preview_token_of_another_store_or_site_opens_nothing(store_a, store_b, site):
    with in_store(store_b):
        other_store_token = widget_preview_token(site=WidgetSite(pk=site.pk))
    with in_store(store_a):
        other_site_token = widget_preview_token(site=WidgetSite.objects.exclude(pk=site.pk).get())
    own = f"http://{store_host(store_a)}"
    for token in (other_store_token, other_site_token, "forged"):
        answer = widget_client(store_a, origin=own).post(
            f"{WIDGET}?key={site.key}", {"email": "s@example.com"}, format="json",
            HTTP_X_WIDGET_PREVIEW=token,
        )  # fmt: skip
        assert (answer.status_code, answer.json()["code"]) == (403, "origin_not_allowed")


# --- overview -----------------------------------------------------------------------------


def test_the_overview_shows_today_and_the_widget_step(store_a):
    client = console_client(store_a)
    before = html_of(client.get("/console/"))
    with in_store(store_a):
        Signup.objects.create(email="one@example.com")
    after_html = html_of(client.get("/console/"))
    after = text_of(after_html)

    assert '<a href="/console/signups/sites/">Put the signup widget on your site</a>' in before
    assert "New signups today 0 0 this month" in text_of(before)
    assert "New signups today 1 1 this month" in after
    assert (
        "Put the signup widget on your site (done)" in after or "Get your store ready" not in after
    )
