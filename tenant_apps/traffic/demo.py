"""Demo traffic for the store `make run` fills: one followed repository with 45 days of
stored history (views, clones, referrers and paths), as if fetched daily for six weeks.

The history is loaded as stored rows, not fetched: GitHub keeps only 14 days, and the demo
must not need a network or a token. Idempotent: rows are unique by repository and date.
"""

from datetime import timedelta
from random import Random

from django.utils import timezone

from .models import PathSnapshot, ReferrerSnapshot, Repository, TrafficDay

DEMO_OWNER, DEMO_NAME = "demo-shop", "storefront-theme"
DEMO_DAYS = 45


def demo_fill(*, seller) -> None:
    repository, _ = Repository.objects.get_or_create(
        owner=DEMO_OWNER, name=DEMO_NAME, defaults={"seller": seller}
    )
    choose = Random(11)
    today = timezone.now().date()
    for offset in range(DEMO_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        weekday_boost = 1.0 if day.weekday() < 5 else 0.6
        views = int(choose.randint(40, 120) * weekday_boost)
        clones = choose.randint(2, 15)
        TrafficDay.objects.get_or_create(
            repository=repository,
            date=day,
            defaults={
                "views": views,
                "unique_views": views // 3,
                "clones": clones,
                "unique_clones": max(1, clones // 2),
            },
        )
    yesterday = today - timedelta(days=1)
    for referrer, count in (("github.com", 310), ("google.com", 120), ("news.ycombinator.com", 45)):
        ReferrerSnapshot.objects.get_or_create(
            repository=repository,
            date=yesterday,
            referrer=referrer,
            defaults={"count": count, "uniques": count // 4},
        )
    for path, title, count in (
        (f"/{DEMO_OWNER}/{DEMO_NAME}", "storefront-theme", 420),
        (f"/{DEMO_OWNER}/{DEMO_NAME}/blob/main/README.md", "README.md", 130),
    ):
        PathSnapshot.objects.get_or_create(
            repository=repository,
            date=yesterday,
            path=path,
            defaults={"title": title, "count": count, "uniques": count // 5},
        )
    last_fetch = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0)
    Repository.objects.filter(pk=repository.pk, last_fetch_at__isnull=True).update(
        last_fetch_at=last_fetch, last_success_at=last_fetch
    )
