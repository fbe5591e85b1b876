"""The traffic pages in a real headless Chromium draw their charts with the stored numbers."""

from datetime import date

import pytest

from shared_apps.accounts.services import api_token_create
from tenant_apps.traffic.models import TrafficDay
from tenant_apps.traffic.services import github_token_set, repository_create
from tenant_apps.traffic.tasks import traffic_fetch_all_task
from tests.support.browser import live_url
from tests.support.stores import in_store, store_host
from tests.support.traffic import GITHUB_TOKEN, START
from tests.traffic.fake_github import FakeGithub

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REPOSITORIES = ("HackSoftware/Django-Styleguide", "acme/widgets")

CHART_DATA_JS = """(canvas) => {
    const chart = Chart.getChart(canvas);
    if (!chart) return null;
    return {
        labels: chart.data.labels,
        datasets: chart.data.datasets.map((d) => ({label: d.label, data: d.data})),
        drawn: chart.data.datasets.map((_, i) => chart.getDatasetMeta(i).data.length),
        width: canvas.width,
    };
}"""


@pytest.fixture
def fake_github(settings):
    server = FakeGithub(clock=START).start()
    settings.GITHUB_API_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def traffic_store(make_store, fake_github):
    """A committed store whose owner follows two repositories, fetched on three days."""
    store = make_store(name="Traffic Co", slug="trafficco")
    for seed, full_name in enumerate(REPOSITORIES, start=1):
        fake_github.repository_add(
            full_name, created=date(2024, 2, 20), token=GITHUB_TOKEN, seed=seed
        )
    _, key = api_token_create(seller=store.owner, name="charts")
    with in_store(store):
        github_token_set(seller=store.owner, token=GITHUB_TOKEN)
        repositories = [
            repository_create(seller=store.owner, url=f"https://github.com/{full_name}")
            for full_name in REPOSITORIES
        ]
        for day_number in range(3):
            if day_number:
                fake_github.advance(days=1)
            traffic_fetch_all_task.delay()
    return store, key, repositories


def stored(store, repository) -> dict[str, list]:
    with in_store(store):
        days = list(TrafficDay.objects.filter(repository=repository).order_by("date"))
    return {
        "labels": [day.date.isoformat() for day in days],
        "views": [day.views for day in days],
        "unique_views": [day.unique_views for day in days],
        "clones": [day.clones for day in days],
        "unique_clones": [day.unique_clones for day in days],
    }


def chart_data(page, selector: str) -> dict:
    return page.locator(selector).evaluate(CHART_DATA_JS)


def test_repository_page_draws_views_and_clones(traffic_store, live_server, page):
    store, key, repositories = traffic_store
    repository = repositories[0]
    expected = stored(store, repository)
    assert expected["labels"][0] == "2024-02-20" and expected["labels"][-1] == "2024-03-03"

    response = page.goto(
        live_url(live_server, store_host(store), f"/users/{key}/repos/{repository.id}")
    )
    assert response.status == 200
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-clones')")

    views = chart_data(page, "#chart-views")
    clones = chart_data(page, "#chart-clones")
    assert views["labels"] == expected["labels"]
    assert views["datasets"] == [
        {"label": "Views", "data": expected["views"]},
        {"label": "Unique views", "data": expected["unique_views"]},
    ]
    assert clones["labels"] == expected["labels"]
    assert clones["datasets"] == [
        {"label": "Clones", "data": expected["clones"]},
        {"label": "Unique clones", "data": expected["unique_clones"]},
    ]
    assert views["drawn"] == [len(expected["labels"])] * 2
    assert views["width"] > 0
    assert page.locator("#total-views").inner_text() == str(sum(expected["views"]))
    assert page.locator("#traffic-referrers tbody tr").count() == 3

    # A date filter redraws with just those days
    page.goto(
        live_url(
            live_server,
            store_host(store),
            f"/users/{key}/repos/{repository.id}?start=2024-02-25&end=2024-02-27",
        )
    )
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-views')")
    filtered = chart_data(page, "#chart-views")
    first = expected["labels"].index("2024-02-25")
    assert filtered["labels"] == ["2024-02-25", "2024-02-26", "2024-02-27"]
    assert filtered["datasets"][0]["data"] == expected["views"][first : first + 3]


def test_repository_list_draws_one_chart_per_repository(traffic_store, live_server, page):
    store, key, repositories = traffic_store

    page.goto(live_url(live_server, store_host(store), f"/users/{key}/repos"))
    page.wait_for_function(
        "() => window.Chart"
        " && [...document.querySelectorAll('canvas')].every((c) => Chart.getChart(c))"
    )

    assert page.locator("canvas").count() == len(repositories)
    for repository in repositories:
        expected = stored(store, repository)
        drawn = chart_data(page, f"#chart-{repository.id}")
        assert drawn["labels"] == expected["labels"]
        assert [dataset["data"] for dataset in drawn["datasets"]] == [
            expected["views"],
            expected["unique_views"],
            expected["clones"],
            expected["unique_clones"],
        ]


def test_a_bad_date_shows_the_400_page(traffic_store, live_server, page):
    store, key, _ = traffic_store

    response = page.goto(
        live_url(
            live_server, store_host(store), f"/users/{key}/repos?start=2024-03-05&end=2024-03-01"
        )
    )

    assert response.status == 400
    assert page.locator("#traffic-error").inner_text() == (
        "The start date 2024-03-05 is after the end date 2024-03-01."
    )
