"""Analytics, Traffic and Settings of the console in real Chromium: every page fits 1280 and
390 px and passes axe; a seller adds a repository against the fake GitHub, sees its chart,
shares it with someone signed out, and invites a staff member who cannot open the team page."""

from datetime import date

import pytest

from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.traffic.models import Repository
from tests.support.browser import live_url
from tests.support.pages import audit_passes, console_sign_in, page_audit
from tests.support.stores import in_store, store_host
from tests.support.traffic import GITHUB_TOKEN, START
from tests.traffic.fake_github import FakeGithub

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FULL_NAME = "acme/widgets"


@pytest.fixture
def fake_github(settings):
    server = FakeGithub(clock=START).start()
    server.repository_add(FULL_NAME, created=date(2024, 2, 1), token=GITHUB_TOKEN, seed=3)
    settings.GITHUB_API_URL = server.url
    yield server
    server.stop()


def drawn_points(page, selector: str) -> int:
    return page.locator(selector).evaluate(
        "(canvas) => Chart.getChart(canvas).getDatasetMeta(0).data.length"
    )


@pytest.mark.django_db(transaction=True)
def test_ops_pages_and_the_traffic_and_team_flow(
    make_store, live_server, page, browser, fake_github
):
    store = make_store("Ops shop")
    host = store_host(store)
    console_sign_in(page, live_server, store)

    # Traffic: the token (write-only), then a repository by its URL; the first fetch runs at once.
    page.goto(live_url(live_server, host, "/console/traffic/"))
    page.get_by_role("textbox", name="GitHub token").fill(GITHUB_TOKEN)
    page.get_by_role("button", name="Save GitHub token").click()
    assert "A token is set" in page.locator("#token-state").inner_text()
    page.get_by_label("Repository URL").fill(f"https://github.com/{FULL_NAME}")
    page.get_by_role("button", name="Add repository").click()
    page.wait_for_selector("canvas[data-traffic-chart]")
    with in_store(store):
        repository = Repository.objects.get()
    assert drawn_points(page, f"#chart-{repository.id}") == 15

    page.get_by_role("link", name=FULL_NAME).click()
    page.wait_for_selector("#chart-views")
    assert drawn_points(page, "#chart-views") == 15

    # A share link: shown once, opened by someone signed out.
    page.goto(live_url(live_server, host, "/console/traffic/"))
    page.get_by_label("Who the link is for").fill("Investors")
    page.get_by_role("button", name="Create share link").click()
    link = page.get_by_role("textbox", name="Share link", exact=True).input_value()
    assert "/users/" in link
    stranger = browser.new_context().new_page()
    stranger.goto(live_url(live_server, host, "/users/" + link.split("/users/", 1)[1]))
    assert FULL_NAME in stranger.locator("h2").first.inner_text()
    stranger.context.close()

    # The team: a staff member by mobile.
    page.goto(live_url(live_server, host, "/console/settings/team/"))
    page.get_by_label("Mobile number").fill("98765 43210")
    page.get_by_label("Role", exact=True).select_option("staff")
    page.get_by_role("button", name="Invite").click()
    assert "added as staff" in page.locator(".flash").inner_text()

    pages = {
        "analytics": "/console/analytics/",
        "traffic": "/console/traffic/",
        "traffic-repository": f"/console/traffic/{repository.id}/",
        "settings": "/console/settings/",
        "settings-team": "/console/settings/team/",
        "settings-jobs": "/console/settings/jobs/",
        "settings-job": "/console/settings/jobs/signup-digest/",
        "settings-ingestion-tokens": "/console/settings/ingestion-tokens/",
        "settings-api-tokens": "/console/settings/api-tokens/",
    }
    for name, path in pages.items():
        findings = page_audit(page, live_url(live_server, host, path), name)
        assert audit_passes(findings) == {}, name

    staff = Seller.objects.get(mobile="+919876543210")
    assert StoreMembership.objects.get(store=store, seller=staff).role == "staff"
    staff_page = browser.new_context().new_page()
    console_sign_in(staff_page, live_server, store, seller=staff)
    refused = staff_page.goto(live_url(live_server, host, "/console/settings/team/"))
    assert refused.status == 403
    staff_page.goto(live_url(live_server, host, "/console/settings/"))
    sections = staff_page.get_by_role("navigation", name="Settings sections").get_by_role("link")
    assert sections.all_inner_texts() == ["Store profile", "API tokens"]
    staff_page.context.close()
