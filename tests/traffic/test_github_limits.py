"""The GitHub client against the fake GitHub: rate limits (primary and secondary), missing
permissions, renamed repositories and the headers every request carries."""

import random
from contextlib import contextmanager
from datetime import date

import pytest
import requests
from celery.signals import task_retry

from tenant_apps.traffic.github import GithubRateLimited, github_get
from tenant_apps.traffic.models import Repository, TrafficDay
from tenant_apps.traffic.services import github_token_set, repository_create
from tenant_apps.traffic.tasks import traffic_fetch_task
from tests.support.stores import in_store
from tests.support.traffic import GITHUB_TOKEN, REPO_CREATED

from .fake_github import REQUIRED_HEADERS

FULL_NAME = "HackSoftware/Django-Styleguide"
TRAFFIC = f"/repos/{FULL_NAME}/traffic"
COUNT_FIELDS = ("views", "unique_views", "clones", "unique_clones")
FINE_GRAINED_TOKEN = "github_pat_11AAAA_without_administration"


def stored_days(repository) -> dict[date, dict[str, int]]:
    return {
        row["date"]: {field: row[field] for field in COUNT_FIELDS}
        for row in TrafficDay.objects.filter(repository=repository).values("date", *COUNT_FIELDS)
    }


@contextmanager
def errors_at_retry(repository):
    """(code, message) the repository shows each time its fetch is put off for a retry."""
    seen: list[tuple[str, str]] = []

    def record(sender=None, **kwargs):
        row = Repository.objects.get(pk=repository.pk)
        seen.append((row.last_error_code, row.last_error))

    task_retry.connect(record, weak=False)
    try:
        yield seen
    finally:
        task_retry.disconnect(record)


def fetch(store, repository) -> Repository:
    with in_store(store):
        traffic_fetch_task.delay(str(repository.id))
        repository.refresh_from_db()
    return repository


# -- primary limits -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [403, 429])
def test_a_primary_limit_waits_until_the_reset_with_a_little_jitter(
    traffic_store, store_a, fake_github, retries, status
):
    # Given GitHub's quota is used up for the next request, resetting in 600 s on its clock
    fake_github.rate_limited_requests = 1
    fake_github.rate_limit_status = status

    # When the fetch runs
    with in_store(store_a), errors_at_retry(traffic_store) as errors:
        fetch(store_a, traffic_store)
        stored = stored_days(traffic_store)

    # Then it was retried once, after the reset (601 s on GitHub's clock) plus at most 30 s
    [wait] = retries
    assert 601 <= wait <= 631
    assert errors == [
        ("github_rate_limited", f"GitHub's rate limit was hit; retrying in {wait} s.")
    ]
    # and the retry fetched everything
    assert (traffic_store.last_error_code, traffic_store.last_error) == ("", "")
    assert stored == fake_github.window(FULL_NAME)
    assert len(fake_github.requests) == 5


# -- secondary limits -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "retry_after", "least", "most"),
    [
        (403, 90, 90, 90 + 90 // 4),
        (429, 300, 300, 300 + 300 // 4),
        # A shorter Retry-After still waits the minute GitHub asks for secondary limits.
        (403, 20, 60, 75),
    ],
)
def test_a_secondary_limit_with_retry_after_waits_at_least_that_long(
    traffic_store, store_a, fake_github, retries, status, retry_after, least, most
):
    fake_github.secondary_limited_requests = 1
    fake_github.secondary_limit_status = status
    fake_github.secondary_retry_after = retry_after

    with in_store(store_a), errors_at_retry(traffic_store) as errors:
        fetch(store_a, traffic_store)

    [wait] = retries
    assert least <= wait <= most
    assert errors == [
        ("github_rate_limited", f"GitHub's secondary rate limit was hit; retrying in {wait} s.")
    ]
    assert traffic_store.last_error == ""


def test_a_secondary_limit_by_message_only_waits_a_minute_then_longer_each_time(
    traffic_store, store_a, fake_github, retries
):
    # Given three secondary limits in a row, without Retry-After and with requests remaining
    fake_github.secondary_limited_requests = 3

    with in_store(store_a):
        fetch(store_a, traffic_store)
        stored = stored_days(traffic_store)

    # Then the waits are at least 60, 120 and 240 s, each with at most a quarter of jitter
    assert len(retries) == 3
    for wait, least in zip(retries, [60, 120, 240], strict=True):
        assert least <= wait <= least + least // 4, retries
    assert retries == sorted(retries)
    # and the fourth attempt fetched everything
    assert traffic_store.last_error == ""
    assert stored == fake_github.window(FULL_NAME)


def test_the_secondary_jitter_is_bounded_and_spreads_the_retries(fake_github):
    # Given the limit GitHub reports for a secondary limit by message only
    fake_github.secondary_limited_requests = 1
    with pytest.raises(GithubRateLimited) as raised:
        github_get(path=f"{TRAFFIC}/views", token=GITHUB_TOKEN, full_name=FULL_NAME)
    limit = raised.value
    assert (limit.secondary, limit.retry_after_seconds) == (True, 60)

    # Then each retry waits its doubled minute plus up to a quarter more, capped at an hour
    rng = random.Random(7)
    for attempt, least in [(0, 60), (1, 120), (2, 240), (5, 1920), (6, 3600), (30, 3600)]:
        waits = {limit.countdown(attempt, rng=rng) for _ in range(200)}
        assert least <= min(waits) and max(waits) <= least + least // 4, (attempt, waits)
        assert len(waits) > 10  # jitter, not one fixed wait


def test_a_403_secondary_limit_is_a_rate_limit_not_a_missing_permission(fake_github):
    fake_github.secondary_limited_requests = 1
    fake_github.secondary_retry_after = 45
    with pytest.raises(GithubRateLimited) as raised:
        github_get(path=f"{TRAFFIC}/views", token=GITHUB_TOKEN, full_name=FULL_NAME)
    assert (raised.value.code, raised.value.retry_after_seconds) == ("github_rate_limited", 45)


# -- missing permissions --------------------------------------------------------------------


def test_a_fine_grained_token_without_administration_read_is_told_what_it_lacks(
    store_a, seller_a, fake_github
):
    # Given a fine-grained token that may read the repository but not its traffic
    fake_github.repository_add("acme/locked", created=REPO_CREATED, token=GITHUB_TOKEN)
    fake_github.known_tokens.add(FINE_GRAINED_TOKEN)
    with in_store(store_a):
        github_token_set(seller=seller_a, token=FINE_GRAINED_TOKEN)
        repository = repository_create(seller=seller_a, url="https://github.com/acme/locked")

    fetch(store_a, repository)

    assert repository.last_error_code == "github_missing_permission"
    assert repository.last_error == (
        "The store's GitHub token lacks a permission on acme/locked: give the fine-grained "
        "token Administration: read (GitHub: Resource not accessible by personal access token)."
    )
    assert repository.last_success_at is None


def test_every_permission_set_github_accepts_is_named(store_a, seller_a, fake_github):
    fake_github.repository_add("acme/locked", created=REPO_CREATED, token=GITHUB_TOKEN)
    fake_github.known_tokens.add(FINE_GRAINED_TOKEN)
    fake_github.accepted_permissions = "administration=read; contents=write, metadata=read"
    with in_store(store_a):
        github_token_set(seller=seller_a, token=FINE_GRAINED_TOKEN)
        repository = repository_create(seller=seller_a, url="https://github.com/acme/locked")

    fetch(store_a, repository)

    assert repository.last_error_code == "github_missing_permission"
    assert "token Administration: read or Contents: write and Metadata: read (GitHub:" in (
        repository.last_error
    )


# -- renamed and transferred repositories ---------------------------------------------------


def test_a_renamed_repository_is_followed_and_its_stored_name_updated(
    traffic_store, store_a, fake_github
):
    # Given a fetched repository that is then transferred and renamed on GitHub
    fetch(store_a, traffic_store)
    with in_store(store_a):
        before = stored_days(traffic_store)
    fake_github.repository_rename(FULL_NAME, "hacksoft-labs/styleguide")
    moved_id = fake_github.repositories["hacksoft-labs/styleguide"].id
    fake_github.advance(days=1)
    fake_github.requests.clear()

    # When the next fetch runs
    fetch(store_a, traffic_store)

    # Then it followed the redirect, read the new name and fetched under it
    assert fake_github.requests == [
        f"{TRAFFIC}/views?per=day",
        f"/repositories/{moved_id}/traffic/views?per=day",
        f"/repositories/{moved_id}",
        "/repos/hacksoft-labs/styleguide/traffic/clones?per=day",
        "/repos/hacksoft-labs/styleguide/traffic/popular/referrers",
        "/repos/hacksoft-labs/styleguide/traffic/popular/paths",
    ]
    assert (traffic_store.owner, traffic_store.name) == ("hacksoft-labs", "styleguide")
    assert traffic_store.url == "https://github.com/hacksoft-labs/styleguide"
    assert traffic_store.last_error == ""
    # and it is the same row: the earlier days stayed, the new ones joined them
    with in_store(store_a):
        after = stored_days(traffic_store)
        assert Repository.objects.count() == 1
    window = fake_github.window("hacksoft-labs/styleguide")
    assert set(after) == set(before) | set(window) and set(before) < set(after)
    for day, counts in after.items():
        seen = [before.get(day, {}), window.get(day, {})]
        assert counts == {f: max(c.get(f, 0) for c in seen) for f in COUNT_FIELDS}, day


def test_a_rename_onto_a_repository_already_followed_keeps_both_and_says_so(
    traffic_store, store_a, seller_a, fake_github
):
    # Given the seller also follows the repository's new name
    fetch(store_a, traffic_store)
    with in_store(store_a):
        before = stored_days(traffic_store)
    fake_github.repository_rename(FULL_NAME, "hacksoft-labs/styleguide")
    with in_store(store_a):
        renamed = repository_create(
            seller=seller_a, url="https://github.com/Hacksoft-Labs/Styleguide"
        )
    fake_github.advance(days=1)

    # When the old entry is fetched
    fetch(store_a, traffic_store)

    # Then it keeps its name and history, says why it is not fetched, and nothing crashed
    assert (traffic_store.owner, traffic_store.name) == ("HackSoftware", "Django-Styleguide")
    assert traffic_store.last_error_code == "github_renamed_to_followed"
    assert traffic_store.last_error == (
        "GitHub says HackSoftware/Django-Styleguide is now hacksoft-labs/styleguide, which you "
        "already follow: its traffic is fetched there. This entry keeps the history it has; "
        "delete it once you no longer need that."
    )
    with in_store(store_a):
        assert stored_days(traffic_store) == before
        # and the other entry is fetched under its own name
        fetch(store_a, renamed)
        assert stored_days(renamed) == fake_github.window("hacksoft-labs/styleguide")
    assert renamed.last_error == ""


def test_a_redirect_to_another_host_is_not_followed(traffic_store, store_a, fake_github):
    fake_github.repository_rename(FULL_NAME, "hacksoft-labs/styleguide")
    fake_github.redirect_base = "http://evil.example"

    fetch(store_a, traffic_store)

    assert traffic_store.last_error_code == "github_error"
    assert traffic_store.last_error == (
        "GitHub redirected to another host (evil.example); not followed."
    )
    assert (traffic_store.owner, traffic_store.name) == ("HackSoftware", "Django-Styleguide")


# -- the headers we send --------------------------------------------------------------------


def test_every_request_carries_githubs_documented_headers(traffic_store, store_a, fake_github):
    fetch(store_a, traffic_store)

    assert traffic_store.last_error == ""
    assert (
        fake_github.request_headers
        == [
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "seller-suite-traffic",
                "Authorization": f"Bearer {GITHUB_TOKEN}",
            }
        ]
        * 4
    )


GOOD_HEADERS = {
    **REQUIRED_HEADERS,
    "User-Agent": "seller-suite-traffic",
    "Authorization": f"Bearer {GITHUB_TOKEN}",
}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("Accept", None, "Send the header Accept: application/vnd.github+json."),
        ("Accept", "application/json", "Send the header Accept: application/vnd.github+json."),
        ("X-GitHub-Api-Version", None, "Send the header X-GitHub-Api-Version: 2022-11-28."),
        ("Authorization", None, "Send the header Authorization: Bearer <token>."),
        (
            "Authorization",
            f"token {GITHUB_TOKEN}",
            "Send the header Authorization: Bearer <token>.",
        ),
        ("User-Agent", "", "Send a User-Agent header."),
    ],
)
def test_the_fake_refuses_a_request_without_those_headers(
    traffic_store, fake_github, name, value, message
):
    # The check the test above relies on: a header missing or wrong gets GitHub's 400
    headers = {key: val for key, val in GOOD_HEADERS.items() if key != name}
    if value is not None:
        headers[name] = value
    session = requests.Session()
    session.headers.clear()  # no defaults from requests (it sends its own User-Agent)
    answer = session.get(f"{fake_github.url}{TRAFFIC}/views", headers=headers, timeout=5)
    assert (answer.status_code, answer.json()) == (400, {"message": message})

    good = session.get(f"{fake_github.url}{TRAFFIC}/views", headers=GOOD_HEADERS, timeout=5)
    assert good.status_code == 200
