"""Traffic in the console: repositories (add, refresh, delete), charts with the date filter,
the write-only GitHub token and share links, against the local fake GitHub."""

import json
import re
from datetime import date

import pytest
from django.test import Client

from shared_apps.accounts.services import api_token_create
from tenant_apps.traffic.models import GithubCredential, Repository, ShareToken, TrafficDay
from tenant_apps.traffic.services import github_token_set, repository_create
from tests.console.test_shell import menu_of
from tests.support.console import console_client
from tests.support.stores import in_store, store_host
from tests.support.traffic import GITHUB_TOKEN, REPO_CREATED, START
from tests.traffic.fake_github import FakeGithub

FULL_NAME = "HackSoftware/Django-Styleguide"


@pytest.fixture(autouse=True)
def _github_unreachable_by_default(settings):
    settings.GITHUB_API_URL = "http://127.0.0.1:9"


@pytest.fixture
def fake_github(settings):
    server = FakeGithub(clock=START).start()
    server.repository_add(FULL_NAME, created=REPO_CREATED, token=GITHUB_TOKEN)
    settings.GITHUB_API_URL = server.url
    yield server
    server.stop()


def text(response) -> str:
    return response.content.decode()


def stored_days(store) -> list[tuple[str, int]]:
    with in_store(store):
        return [(d.date.isoformat(), d.views) for d in TrafficDay.objects.order_by("date")]


def test_adding_a_repository_fetches_it_and_draws_its_chart(
    store_a, seller_a, fake_github, django_capture_on_commit_callbacks
):
    client = console_client(store_a)
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post("/console/traffic/add", {"url": f"git@github.com:{FULL_NAME}.git"})
    page = client.get("/console/traffic/")

    assert (added.status_code, added["Location"]) == (302, "/console/traffic/")
    with in_store(store_a):
        repository = Repository.objects.get(seller=seller_a)
    chart = json.loads(
        re.search(
            rf'<script id="chart-data-{repository.id}" type="application/json">(.*?)</script>',
            text(page),
        ).group(1)
    )
    days = stored_days(store_a)
    assert len(days) == 15  # GitHub's 14 x 24 h window touches 15 UTC days
    assert list(zip(chart["labels"], chart["views"], strict=True)) == days
    assert f"Following {FULL_NAME}: its traffic is being fetched now." in text(page)
    assert menu_of(text(page))[1] == ["Traffic"]


def test_the_date_filter_limits_the_chart_and_totals(
    store_a, seller_a, fake_github, django_capture_on_commit_callbacks
):
    with in_store(store_a), django_capture_on_commit_callbacks(execute=True):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")
    with in_store(store_a):
        days = list(TrafficDay.objects.filter(repository=repository, date__gte=date(2024, 2, 20))
                    .filter(date__lte=date(2024, 2, 22)).order_by("date"))  # fmt: skip

    page = console_client(store_a).get(
        f"/console/traffic/{repository.id}/", {"start": "2024-02-20", "end": "2024-02-22"}
    )

    chart = json.loads(
        re.search(
            r'<script id="chart-data" type="application/json">(.*?)</script>', text(page)
        ).group(1)
    )
    assert chart["labels"] == ["2024-02-20", "2024-02-21", "2024-02-22"]
    assert chart["views"] == [day.views for day in days]
    assert f'<strong id="total-views">{sum(d.views for d in days)}</strong>' in text(page)


def test_bad_dates_say_why_and_show_every_day(store_a):
    page = console_client(store_a).get(
        "/console/traffic/", {"start": "2024-03-05", "end": "2024-03-01"}
    )

    assert page.status_code == 400
    assert "The start date 2024-03-05 is after the end date 2024-03-01." in text(page)


def test_a_bad_url_is_explained_next_to_the_field_and_adds_nothing(store_a):
    client = console_client(store_a)

    answers = {
        url: client.post("/console/traffic/add", {"url": url})
        for url in ("", "https://gitlab.com/a/b", "https://github.com/just-an-owner")
    }

    assert [a.status_code for a in answers.values()] == [400, 400, 400]
    assert "Paste the repository&#x27;s address from GitHub." in text(answers[""])
    assert "Only GitHub repositories are supported" in text(answers["https://gitlab.com/a/b"])
    assert "This GitHub URL is not a repository" in text(
        answers["https://github.com/just-an-owner"]
    )
    with in_store(store_a):
        assert not Repository.objects.exists()


def test_adding_the_same_repository_twice_is_refused(store_a, seller_a):
    with in_store(store_a):
        repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")

    again = console_client(store_a).post("/console/traffic/add", {"url": f"github.com/{FULL_NAME}"})

    assert again.status_code == 400
    assert f"You already follow {FULL_NAME}." in text(again)


def test_refresh_queues_a_fetch_and_delete_removes_the_history(
    store_a, seller_a, fake_github, django_capture_on_commit_callbacks
):
    client = console_client(store_a)
    with in_store(store_a):
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
    assert stored_days(store_a) == []  # the first fetch ran before there was a token

    with django_capture_on_commit_callbacks(execute=True):
        refreshed = client.post(f"/console/traffic/{repository.id}/refresh", {"next": "detail"})
    fetched = len(stored_days(store_a))
    deleted = client.post(f"/console/traffic/{repository.id}/delete")

    assert refreshed["Location"] == f"/console/traffic/{repository.id}/"
    assert fetched == 15
    assert deleted["Location"] == "/console/traffic/"
    with in_store(store_a):
        assert not Repository.objects.exists()
    assert stored_days(store_a) == []


def test_another_sellers_repository_is_not_found(store_a, store_b, seller_a):
    with in_store(store_a):
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")
    stranger = console_client(store_a, seller=store_b.owner)

    assert stranger.get(f"/console/traffic/{repository.id}/").status_code == 403
    other = console_client(store_b).post(f"/console/traffic/{repository.id}/delete")
    assert other.status_code == 404
    with in_store(store_a):
        assert Repository.objects.filter(pk=repository.pk).exists()


def test_the_github_token_is_write_only(store_a):
    client = console_client(store_a)

    before = client.get("/console/traffic/")
    saved = client.post("/console/traffic/github-token", {"token": GITHUB_TOKEN})
    after = client.get("/console/traffic/")

    assert "No token yet: fetches wait until one is set." in text(before)
    assert saved.status_code == 302
    assert "A token is set (since " in text(after)
    assert GITHUB_TOKEN not in text(after)
    assert 'type="password"' in text(after)

    client.post("/console/traffic/github-token/remove")
    with in_store(store_a):
        assert not GithubCredential.objects.exists()


def test_a_token_with_spaces_is_refused_and_nothing_is_stored(store_a):
    answer = console_client(store_a).post("/console/traffic/github-token", {"token": "a b"})

    assert answer.status_code == 400
    assert "Give a GitHub token (a personal access token with push access)." in text(answer)
    with in_store(store_a):
        assert not GithubCredential.objects.exists()


def test_a_share_link_is_shown_once_opens_anonymously_and_is_revoked(store_a, seller_a):
    client = console_client(store_a)
    with in_store(store_a):
        repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")

    client.post("/console/traffic/share-links", {"name": "Investors"})
    first = client.get("/console/traffic/")
    second = client.get("/console/traffic/")
    url = re.search(r'id="new-link-value" class="key-value" value="([^"]+)"', text(first)).group(1)
    path = url.split(":8000", 1)[1]
    anonymous = Client(HTTP_HOST=store_host(store_a))

    assert url.startswith(f"http://{store_host(store_a)}:8000/users/")
    assert path not in text(second)
    assert '<td data-label="Name">Investors</td>' in text(second)
    assert FULL_NAME in text(anonymous.get(path))

    with in_store(store_a):
        token = ShareToken.objects.get(name="Investors")
    client.post(f"/console/traffic/share-links/{token.pk}/revoke")
    assert anonymous.get(path).status_code == 404


def test_no_page_carries_the_sellers_api_token(store_a, seller_a):
    _, key = api_token_create(seller=seller_a, name="charts")
    with in_store(store_a):
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")
    client = console_client(store_a)

    pages = [client.get("/console/traffic/"), client.get(f"/console/traffic/{repository.id}/")]

    assert [page.status_code for page in pages] == [200, 200]
    assert all(key not in text(page) and key[:8] not in text(page) for page in pages)


def test_the_overview_says_when_traffic_was_last_fetched(store_a, seller_a, fake_github):
    client = console_client(store_a)
    never = client.get("/console/")
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")
        Repository.objects.filter(pk=repository.pk).update(last_fetch_at=START)

    fetched = client.get("/console/")

    def card(page):
        return re.search(
            r'<a class="card figure" href="/console/traffic/[^"]*">(.*?)</a>', text(page), re.S
        ).group(1)

    assert '<strong class="figure-value">Never</strong>' in card(never)
    assert 'href="/console/traffic/#add-repository"' in text(never)
    # 03:15 UTC is 08:45 in Asia/Kolkata, the store's timezone.
    assert '<strong class="figure-value">1 Mar 2024, 08:45</strong>' in card(fetched)
    assert FULL_NAME in card(fetched)


def test_anonymous_visitors_go_to_login(store_a):
    answer = Client(HTTP_HOST=store_host(store_a)).get("/console/traffic/")

    assert answer["Location"] == "/login?next=%2Fconsole%2Ftraffic%2F"
