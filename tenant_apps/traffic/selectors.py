"""Reads of the traffic tool. Repositories are always looked up through their seller.

`<entity>_get` raises the tool's 404 error when the row is absent (or not the seller's) and
never returns None; `<entity>_find` returns None instead.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet, Sum

from saas.access.membership import api_token_member
from saas.validation import date_parse
from shared_apps.accounts.models import Seller

from .crypto import secret_decrypt
from .errors import DateRangeError, TrafficError, TrafficErrorCode
from .models import GithubCredential, PathSnapshot, ReferrerSnapshot, Repository, TrafficDay


@dataclass(frozen=True)
class DateRange:
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class TrafficTotals:
    views: int
    unique_views: int
    clones: int
    unique_clones: int


def date_range_parse(*, start: str | None, end: str | None) -> DateRange:
    """`?start=YYYY-MM-DD&end=YYYY-MM-DD`, either or both, inclusive."""
    parsed = {}
    for field, raw in (("start", start), ("end", end)):
        if raw is None or raw == "":
            parsed[field] = None
            continue
        try:
            parsed[field] = date_parse(raw, name=f"{field} date")  # also refuses year 9999
        except ValidationError as error:
            raise DateRangeError(
                error.messages[0], code=TrafficErrorCode.INVALID_DATE, details={field: raw[:20]}
            ) from error
    if parsed["start"] and parsed["end"] and parsed["start"] > parsed["end"]:
        raise DateRangeError(
            f"The start date {parsed['start']} is after the end date {parsed['end']}.",
            code=TrafficErrorCode.INVALID_RANGE,
            details={"start": str(parsed["start"]), "end": str(parsed["end"])},
        )
    return DateRange(**parsed)


def repository_list(*, seller: Seller) -> QuerySet[Repository]:
    return Repository.objects.filter(seller=seller).order_by("created_at", "id")


def repository_find(*, seller: Seller, repository_id: str) -> Repository | None:
    """The seller's repository, or None (also for an id that is not a UUID)."""
    try:
        key = uuid.UUID(str(repository_id))
    except ValueError:
        return None
    return Repository.objects.filter(seller=seller, pk=key).first()


def repository_get(*, seller: Seller, repository_id: str) -> Repository:
    repository = repository_find(seller=seller, repository_id=repository_id)
    if repository is None:
        raise TrafficError(
            "You follow no such repository.", code=TrafficErrorCode.REPOSITORY_NOT_FOUND
        )
    return repository


def _in_range(queryset: QuerySet, period: DateRange) -> QuerySet:
    if period.start:
        queryset = queryset.filter(date__gte=period.start)
    if period.end:
        queryset = queryset.filter(date__lte=period.end)
    return queryset


def traffic_day_list(
    *, repository: Repository, period: DateRange = DateRange()
) -> QuerySet[TrafficDay]:
    """Stored days, oldest first."""
    return _in_range(TrafficDay.objects.filter(repository=repository), period).order_by("date")


def traffic_totals(*, repository: Repository, period: DateRange = DateRange()) -> TrafficTotals:
    sums = traffic_day_list(repository=repository, period=period).aggregate(
        views=Sum("views"),
        unique_views=Sum("unique_views"),
        clones=Sum("clones"),
        unique_clones=Sum("unique_clones"),
    )
    return TrafficTotals(**{key: value or 0 for key, value in sums.items()})


def referrer_snapshot_list(
    *, repository: Repository, period: DateRange = DateRange()
) -> QuerySet[ReferrerSnapshot]:
    return _in_range(ReferrerSnapshot.objects.filter(repository=repository), period).order_by(
        "date", "-count", "referrer"
    )


def path_snapshot_list(
    *, repository: Repository, period: DateRange = DateRange()
) -> QuerySet[PathSnapshot]:
    return _in_range(PathSnapshot.objects.filter(repository=repository), period).order_by(
        "date", "-count", "path"
    )


def _latest(queryset: QuerySet, limit: int) -> tuple[date | None, list]:
    latest = queryset.aggregate(latest=Max("date"))["latest"]
    if latest is None:
        return None, []
    return latest, list(queryset.filter(date=latest)[:limit])


def referrer_top(
    *, repository: Repository, period: DateRange = DateRange(), limit: int = 10
) -> tuple[date | None, list[ReferrerSnapshot]]:
    """The newest snapshot in the period: GitHub's top referrers over the 14 days to that date.

    Snapshots overlap (each covers 14 days), so adding them up would count visits many times.
    """
    return _latest(referrer_snapshot_list(repository=repository, period=period), limit)


def path_top(
    *, repository: Repository, period: DateRange = DateRange(), limit: int = 10
) -> tuple[date | None, list[PathSnapshot]]:
    return _latest(path_snapshot_list(repository=repository, period=period), limit)


def github_token_find() -> str | None:
    """The store's GitHub token in plain text; None when unset or no configured key reads it."""
    credential = GithubCredential.objects.only("token_encrypted").first()
    return secret_decrypt(credential.token_encrypted) if credential else None


def github_token_state() -> dict:
    """Whether the store has a GitHub token, and since when; never the token itself."""
    credential = GithubCredential.objects.only("updated_at").first()
    return {
        "configured": credential is not None,
        "updated_at": getattr(credential, "updated_at", None),
    }


def seller_find_by_token(*, key: str, store_id: int) -> Seller | None:
    """The seller whose API token is `key`, if they are a member of this store."""
    if not key or len(key) > 200:
        return None
    return api_token_member(key=key, store_id=store_id)


def repository_last_fetched(*, seller: Seller) -> Repository | None:
    """The seller's repository fetched most recently (successfully or not); None if none was."""
    return (
        Repository.objects.filter(seller=seller, last_fetch_at__isnull=False)
        .order_by("-last_fetch_at")
        .first()
    )
