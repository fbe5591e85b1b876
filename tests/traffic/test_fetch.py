"""Fetching from the fake GitHub: retention, the max-merge rule, failures and retries.

Rate limits, permissions, renames and the headers we send: test_github_limits.py."""

from datetime import date, timedelta

from shared_apps.accounts.models import Seller
from tenant_apps.traffic.models import PathSnapshot, ReferrerSnapshot, Repository, TrafficDay
from tenant_apps.traffic.services import (
    DayCounts,
    github_token_clear,
    github_token_set,
    repository_create,
    traffic_snapshot_merge,
)
from tenant_apps.traffic.tasks import traffic_fetch_all_task, traffic_fetch_task
from tests.support.stores import in_store
from tests.support.traffic import GITHUB_TOKEN, REPO_CREATED

FULL_NAME = "HackSoftware/Django-Styleguide"
COUNT_FIELDS = ("views", "unique_views", "clones", "unique_clones")


def stored_days(repository) -> dict[date, dict[str, int]]:
    return {
        row["date"]: {field: row[field] for field in COUNT_FIELDS}
        for row in TrafficDay.objects.filter(repository=repository).values("date", *COUNT_FIELDS)
    }


def test_forty_days_of_daily_fetches_keep_every_day_equal_to_github_truth(
    store_a, seller_a, fake_github
):
    # Given a repository created on GitHub the day the first daily fetch runs
    first_day = fake_github.clock.date()
    fake_github.repository_add(FULL_NAME, created=first_day, token=GITHUB_TOKEN)
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")

        # When the daily job runs on 40 consecutive days at 03:15 UTC
        for day_number in range(40):
            if day_number:
                fake_github.advance(days=1)
            assert traffic_fetch_all_task.delay().get() == 1

        # Then 40 days are stored, each exactly GitHub's truth, the partial last day included
        stored = stored_days(repository)
        expected_days = [first_day + timedelta(days=n) for n in range(40)]
        assert sorted(stored) == expected_days
        for day in expected_days:
            assert stored[day] == fake_github.truth(FULL_NAME, day), day
        last_day = expected_days[-1]
        assert stored[last_day]["views"] < fake_github.full_day(FULL_NAME, last_day)["views"]
        assert stored[expected_days[0]] == fake_github.full_day(FULL_NAME, expected_days[0])
        # GitHub itself now shows only the last 15 calendar days
        assert min(fake_github.window(FULL_NAME)) == last_day - timedelta(days=14)
        # and one referrer / path snapshot per fetch day
        assert ReferrerSnapshot.objects.filter(repository=repository).count() == 40 * 3
        assert set(
            PathSnapshot.objects.filter(repository=repository).values_list("date", flat=True)
        ) == set(expected_days)
        repository.refresh_from_db()
        assert repository.last_error == ""
        assert repository.last_success_at is not None
    assert len(fake_github.requests) == 40 * 4


def test_a_later_partial_view_of_a_day_never_lowers_what_was_stored(store_a, seller_a, fake_github):
    fake_github.repository_add(FULL_NAME, created=date(2024, 1, 1), token=GITHUB_TOKEN)
    day = fake_github.clock.date() - timedelta(days=1)
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")
        # Given a fetch that saw `day` complete
        traffic_fetch_task.delay(str(repository.id))
        assert stored_days(repository)[day] == fake_github.full_day(FULL_NAME, day)

        # When, 13 days later at 20:00, `day` is the window's partial oldest day
        fake_github.advance(days=13, hours=16, minutes=45)
        partial = fake_github.window(FULL_NAME)[day]
        assert partial["views"] < fake_github.full_day(FULL_NAME, day)["views"]
        traffic_fetch_task.delay(str(repository.id))

        # Then the stored day keeps the maximum (last-write-wins would have lost data)
        assert stored_days(repository)[day] == fake_github.full_day(FULL_NAME, day)


def test_the_partial_newest_day_grows_with_later_fetches(store_a, seller_a, fake_github):
    fake_github.repository_add(FULL_NAME, created=date(2024, 1, 1), token=GITHUB_TOKEN)
    today = fake_github.clock.date()
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        repository = repository_create(seller=seller_a, url=f"https://github.com/{FULL_NAME}")
        traffic_fetch_task.delay(str(repository.id))
        morning = stored_days(repository)[today]
        fake_github.advance(hours=12)
        traffic_fetch_task.delay(str(repository.id))
        evening = stored_days(repository)[today]
    assert morning == fake_github._between(
        FULL_NAME,
        today,
        fake_github.clock - timedelta(days=1),
        fake_github.clock - timedelta(hours=12),
    )
    assert evening == fake_github.truth(FULL_NAME, today)
    assert evening["views"] > morning["views"]


def test_merge_keeps_the_maximum_of_each_count_on_its_own(store_a, seller_a):
    with in_store(store_a):
        repository = repository_create(seller=seller_a, url="https://github.com/o/r")
        day = date(2024, 5, 1)
        traffic_snapshot_merge(
            repository=repository,
            days=[DayCounts(date=day, views=10, unique_views=4, clones=7, unique_clones=3)],
            snapshot_date=day,
            referrers=[],
            paths=[],
        )
        traffic_snapshot_merge(
            repository=repository,
            days=[DayCounts(date=day, views=12, unique_views=2, clones=1, unique_clones=5)],
            snapshot_date=day,
            referrers=[{"referrer": "Google", "count": 3, "uniques": 1}],
            paths=[],
        )
        assert stored_days(repository) == {
            day: {"views": 12, "unique_views": 4, "clones": 7, "unique_clones": 5}
        }
        # The same day's snapshot is replaced by the newer one
        traffic_snapshot_merge(
            repository=repository,
            days=[],
            snapshot_date=day,
            referrers=[{"referrer": "Bing", "count": 2, "uniques": 2}],
            paths=[],
        )
        assert list(
            ReferrerSnapshot.objects.filter(repository=repository).values_list(
                "referrer", "count", "uniques"
            )
        ) == [("Bing", 2, 2)]


def test_referrers_and_paths_are_kept_as_dated_snapshots(traffic_store, store_a, fake_github):
    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
        fake_github.advance(days=1)
        traffic_fetch_task.delay(str(traffic_store.id))
        for day_offset in (1, 0):
            day = fake_github.clock.date() - timedelta(days=day_offset)
            fake_github.clock -= timedelta(days=day_offset)
            expected_referrers = fake_github.referrers(FULL_NAME)
            expected_paths = fake_github.paths(FULL_NAME)
            fake_github.clock += timedelta(days=day_offset)
            assert [
                {"referrer": r.referrer, "count": r.count, "uniques": r.uniques}
                for r in ReferrerSnapshot.objects.filter(repository=traffic_store, date=day)
            ] == expected_referrers
            assert [
                {"path": p.path, "title": p.title, "count": p.count, "uniques": p.uniques}
                for p in PathSnapshot.objects.filter(repository=traffic_store, date=day)
            ] == expected_paths


def _repository(seller, full_name):
    return repository_create(seller=seller, url=f"https://github.com/{full_name}")


def test_access_failures_show_a_readable_error_and_the_job_goes_on(store_a, seller_a, fake_github):
    # Given three repositories: no push access, unknown to GitHub, and a healthy one
    fake_github.repository_add("acme/locked", created=REPO_CREATED, token="someone-else")
    fake_github.repository_add("acme/healthy", created=REPO_CREATED, token=GITHUB_TOKEN)
    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        locked = _repository(seller_a, "acme/locked")
        missing = _repository(seller_a, "acme/missing")
        healthy = _repository(seller_a, "acme/healthy")

        # When the daily job runs
        assert traffic_fetch_all_task.delay().get() == 3

        # Then each failure is recorded in words, and the healthy one is fetched
        locked.refresh_from_db()
        missing.refresh_from_db()
        healthy.refresh_from_db()
        assert locked.last_error_code == "github_no_push_access"
        assert locked.last_error == (
            "The store's GitHub token has no push access to acme/locked; "
            "GitHub shows traffic only to collaborators with push access (a classic token also "
            "needs the repo scope, a fine-grained one Administration: read)."
        )
        assert missing.last_error_code == "github_not_found"
        assert missing.last_error == (
            "GitHub has no repository acme/missing, or the store's token cannot see it."
        )
        assert locked.last_fetch_at is not None and locked.last_success_at is None
        assert TrafficDay.objects.filter(repository__in=[locked, missing]).count() == 0
        assert healthy.last_error == ""
        assert stored_days(healthy) == fake_github.window("acme/healthy")


def test_a_bad_token_is_reported_and_earlier_traffic_stays(
    traffic_store, store_a, seller_a, fake_github
):
    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
        before = stored_days(traffic_store)
        github_token_set(seller=seller_a, token="ghp_revoked")
        fake_github.advance(days=1)
        traffic_fetch_task.delay(str(traffic_store.id))
        traffic_store.refresh_from_db()
        assert traffic_store.last_error_code == "github_bad_token"
        assert traffic_store.last_error == (
            "GitHub refused the store's token (bad credentials): set a new GitHub token."
        )
        assert stored_days(traffic_store) == before
        assert len(before) == 15


def test_no_token_is_reported_without_calling_github(traffic_store, store_a, fake_github):
    with in_store(store_a):
        github_token_clear()
        traffic_fetch_task.delay(str(traffic_store.id))
        traffic_store.refresh_from_db()
    assert traffic_store.last_error_code == "github_token_missing"
    assert traffic_store.last_error == (
        "The store has no GitHub token yet: a member sets one to fetch traffic."
    )
    assert fake_github.requests == []


def test_network_errors_are_retried_with_backoff(traffic_store, store_a, fake_github, retries):
    fake_github.dropped_requests = 2
    fake_github.server_errors = 1
    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
        traffic_store.refresh_from_db()
        assert stored_days(traffic_store) == fake_github.window(FULL_NAME)
    # Backoff with full jitter: each wait is random, at most 30 s, then 1 and 2 minutes
    assert len(retries) == 3
    assert all(0 <= wait <= cap for wait, cap in zip(retries, [30, 60, 120], strict=True)), retries
    assert traffic_store.last_error == ""


def test_github_down_for_good_gives_up_with_a_readable_error(
    traffic_store, store_a, fake_github, retries
):
    fake_github.dropped_requests = 100
    with in_store(store_a):
        traffic_fetch_task.delay(str(traffic_store.id))
        traffic_store.refresh_from_db()
        assert TrafficDay.objects.filter(repository=traffic_store).count() == 0
    assert len(retries) == 5
    assert all(
        0 <= wait <= cap for wait, cap in zip(retries, [30, 60, 120, 240, 480], strict=True)
    ), retries
    assert traffic_store.last_error_code == "github_unreachable"
    assert traffic_store.last_error == (
        "GitHub could not be reached (ConnectionError). Tried 6 times; the next run tries again."
    )


def test_a_repository_deleted_before_its_fetch_runs_is_skipped(traffic_store, store_a, fake_github):
    with in_store(store_a):
        repository_id = str(traffic_store.id)
        traffic_store.delete()
        traffic_fetch_task.delay(repository_id)
    assert fake_github.requests == []


def test_the_stored_token_is_encrypted(store_a, seller_a):
    from tenant_apps.traffic.models import GithubCredential

    with in_store(store_a):
        github_token_set(seller=seller_a, token=GITHUB_TOKEN)
        stored = GithubCredential.objects.get()
    assert GITHUB_TOKEN not in stored.token_encrypted
    assert stored.updated_by_id == seller_a.id
    assert isinstance(seller_a, Seller)


def test_answers_for_a_repository_deleted_meanwhile_are_dropped(store_a, seller_a):
    with in_store(store_a):
        repository = repository_create(seller=seller_a, url="https://github.com/o/r")
        Repository.objects.filter(pk=repository.pk).delete()

        traffic_snapshot_merge(
            repository=repository,
            days=[DayCounts(date=date(2024, 5, 1), views=1)],
            snapshot_date=date(2024, 5, 1),
            referrers=[{"referrer": "Google", "count": 3, "uniques": 1}],
            paths=[],
        )

        assert TrafficDay.objects.count() == 0
        assert ReferrerSnapshot.objects.count() == 0
