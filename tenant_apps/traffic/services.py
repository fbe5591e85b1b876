"""Every write of the traffic tool: repositories, the store's GitHub token, fetched traffic."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from saas.tasks import enqueue_on_commit
from shared_apps.accounts.models import Seller

from .crypto import secret_encrypt, secret_rotate
from .errors import TrafficError, TrafficErrorCode, TrafficFetchErrorCode
from .github import GithubFetchFailed, github_get
from .models import GithubCredential, PathSnapshot, ReferrerSnapshot, Repository, TrafficDay
from .selectors import github_token_find, repository_find, repository_get

GITHUB_HOSTS = {"github.com", "www.github.com"}
# https://github.com/<owner> names: letters, digits and inner hyphens, at most 39 characters.
OWNER_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
# First path segments that are GitHub's own pages, never an owner.
RESERVED_OWNERS = {
    "about", "apps", "collections", "enterprise", "events", "explore", "features", "issues",
    "login", "marketplace", "new", "notifications", "orgs", "organizations", "pricing", "pulls",
    "search", "settings", "sponsors", "topics", "trending", "users",
}  # fmt: skip
URL_MAX_LENGTH = 300
TOKEN_MAX_LENGTH = 255
SINGLETON_PK = 1

# Registered in tasks.py; named here so this module never imports the task module.
TRAFFIC_FETCH_TASK = "tenant_apps.traffic.tasks.traffic_fetch_task"


@dataclass(frozen=True)
class RepositoryName:
    owner: str
    name: str


# `git@github.com:owner/name.git`, the scp-like form `git clone` prints for SSH.
SCP_LIKE_URL = re.compile(r"^(?P<user>[A-Za-z0-9._-]+)@(?P<host>[A-Za-z0-9.-]+):(?P<path>[^/].*)$")


def _url_normalise(raw: str) -> str:
    """The three short forms a seller copies from GitHub, as an https URL:
    `github.com/o/r` (no scheme), `git@github.com:o/r.git` and `ssh://git@github.com/o/r`."""
    scp = SCP_LIKE_URL.match(raw)
    if scp and scp["user"] == "git":
        return f"https://{scp['host']}/{scp['path']}"
    lowered = raw.lower()
    if lowered.startswith(("github.com/", "www.github.com/")):
        return f"https://{raw}"
    if lowered.startswith("ssh://git@"):
        return "https://" + raw[len("ssh://git@") :]
    return raw


def repository_url_parse(url: str) -> RepositoryName:
    """`https://github.com/<owner>/<name>` (trailing slash, `.git`, www. accepted), the same
    without a scheme, `git@github.com:<owner>/<name>.git` or `ssh://git@github.com/...`:
    its owner and name."""
    raw = str(url or "").strip()
    if not raw or len(raw) > URL_MAX_LENGTH:
        raise TrafficError(
            "Give the repository's URL, like https://github.com/owner/name.",
            code=TrafficErrorCode.INVALID_URL,
        )
    raw = _url_normalise(raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as error:
        raise TrafficError("This is not a valid URL.", code=TrafficErrorCode.INVALID_URL) from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise TrafficError(
            "This is not a valid URL; use https://github.com/owner/name.",
            code=TrafficErrorCode.INVALID_URL,
        )
    if parts.hostname.lower() not in GITHUB_HOSTS or parts.username or port or parts.query:
        raise TrafficError(
            "Only GitHub repositories are supported: https://github.com/owner/name.",
            code=TrafficErrorCode.NOT_GITHUB,
        )
    path = parts.path.rstrip("/")
    if path.lower().endswith(".git"):
        path = path[: -len(".git")]
    segments = path.split("/")[1:] if path.startswith("/") else []
    if len(segments) != 2:
        raise TrafficError(
            "This GitHub URL is not a repository: use https://github.com/owner/name.",
            code=TrafficErrorCode.NOT_A_REPOSITORY,
        )
    owner, name = segments
    if (
        not OWNER_PATTERN.match(owner)
        or owner.lower() in RESERVED_OWNERS
        or not NAME_PATTERN.match(name)
        or name in (".", "..")
    ):
        raise TrafficError(
            "This GitHub URL is not a repository: use https://github.com/owner/name.",
            code=TrafficErrorCode.NOT_A_REPOSITORY,
        )
    return RepositoryName(owner=owner, name=name)


def repository_create(*, seller: Seller, url: str) -> Repository:
    parsed = repository_url_parse(url)
    existing = Repository.objects.filter(
        seller=seller, owner__iexact=parsed.owner, name__iexact=parsed.name
    ).first()
    if existing is not None:
        raise TrafficError(
            f"You already follow {existing.full_name}.",
            code=TrafficErrorCode.REPOSITORY_EXISTS,
            details={"id": str(existing.id)},
        )
    try:
        with transaction.atomic():
            repository = Repository.objects.create(
                seller=seller, owner=parsed.owner, name=parsed.name
            )
    except IntegrityError as error:  # the same repository added twice at once
        raise TrafficError(
            f"You already follow {parsed.owner}/{parsed.name}.",
            code=TrafficErrorCode.REPOSITORY_EXISTS,
        ) from error
    # The first fetch right away: the seller sees GitHub's last 14 days without waiting a day.
    _fetch_queue(repository_id=repository.id)
    return repository


@transaction.atomic
def repository_delete(*, seller: Seller, repository_id: str) -> None:
    """Deletes the repository and everything fetched for it (days and snapshots cascade)."""
    repository = repository_find(seller=seller, repository_id=repository_id)
    if repository is None:
        raise TrafficError(
            "You follow no such repository.", code=TrafficErrorCode.REPOSITORY_NOT_FOLLOWED
        )
    repository.delete()


def repository_refresh_request(*, seller: Seller, repository_id: str) -> Repository:
    repository = repository_get(seller=seller, repository_id=repository_id)
    _fetch_queue(repository_id=repository.id)
    return repository


def _fetch_queue(*, repository_id) -> None:
    """After commit; when the broker is down the daily job fetches the repository instead."""
    enqueue_on_commit(TRAFFIC_FETCH_TASK, repository_id=str(repository_id))


@transaction.atomic
def github_token_set(*, seller: Seller, token: str) -> GithubCredential:
    token = str(token or "").strip()
    if not token or len(token) > TOKEN_MAX_LENGTH or any(c.isspace() for c in token):
        raise TrafficError(
            "Give a GitHub token (a personal access token with push access).",
            code=TrafficErrorCode.INVALID_TOKEN,
        )
    credential, _ = GithubCredential.objects.update_or_create(
        pk=SINGLETON_PK,
        defaults={"token_encrypted": secret_encrypt(token), "updated_by": seller},
    )
    return credential


@transaction.atomic
def github_token_clear() -> None:
    GithubCredential.objects.filter(pk=SINGLETON_PK).delete()


@transaction.atomic
def github_token_rotate() -> bool | None:
    """Re-encrypt this store's GitHub token with the first of `TRAFFIC_TOKEN_KEYS`.

    True when rotated, False when no key can read it any more (a member sets it again; the
    fetch already says so), None when the store has no token. Safe to run any number of times.
    """
    credential = GithubCredential.objects.select_for_update().filter(pk=SINGLETON_PK).first()
    if credential is None:
        return None
    rotated = secret_rotate(credential.token_encrypted)
    if rotated is None:
        return False
    # update(), not save(): `updated_at` says when a member set the token, not when we rotated.
    GithubCredential.objects.filter(pk=SINGLETON_PK).update(token_encrypted=rotated)
    return True


@dataclass(frozen=True)
class DayCounts:
    date: date
    views: int = 0
    unique_views: int = 0
    clones: int = 0
    unique_clones: int = 0


def _bad_response() -> GithubFetchFailed:
    return GithubFetchFailed(
        "GitHub's answer had an unexpected shape.",
        code=TrafficFetchErrorCode.GITHUB_BAD_RESPONSE,
    )


def _count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad_response()
    return value


def _days_parse(views: object, clones: object) -> list[DayCounts]:
    """GitHub's `per=day` views and clones answers, joined on the UTC day."""
    merged: dict[date, dict[str, int]] = {}
    for payload, key, count_field, unique_field in (
        (views, "views", "views", "unique_views"),
        (clones, "clones", "clones", "unique_clones"),
    ):
        if not isinstance(payload, dict) or not isinstance(payload.get(key), list):
            raise _bad_response()
        for entry in payload[key]:
            try:
                day = datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00")).date()
                counts = merged.setdefault(day, {})
                counts[count_field] = _count(entry["count"])
                counts[unique_field] = _count(entry["uniques"])
            except (KeyError, TypeError, AttributeError, ValueError) as error:
                raise _bad_response() from error
    return [DayCounts(date=day, **counts) for day, counts in sorted(merged.items())]


def _popular_parse(payload: object, fields: tuple[str, ...]) -> list[dict]:
    if not isinstance(payload, list):
        raise _bad_response()
    rows = []
    try:
        for entry in payload:
            row = {field: str(entry.get(field) or "")[:500] for field in fields}
            row["count"] = _count(entry["count"])
            row["uniques"] = _count(entry["uniques"])
            rows.append(row)
    except (KeyError, TypeError, AttributeError) as error:
        raise _bad_response() from error
    return rows


def _traffic_days_upsert(*, repository: Repository, days: list[DayCounts]) -> None:
    """One upsert for all days; each count keeps the larger of the stored and the new value."""
    if not days:
        return
    table = TrafficDay._meta.db_table
    values_sql = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(days))
    params: list = []
    for day in days:
        params += [
            repository.pk, day.date, day.views, day.unique_views, day.clones, day.unique_clones,
        ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (repository_id, date, views, unique_views, clones, unique_clones)
            VALUES {values_sql}
            ON CONFLICT (repository_id, date) DO UPDATE SET
                views = GREATEST({table}.views, EXCLUDED.views),
                unique_views = GREATEST({table}.unique_views, EXCLUDED.unique_views),
                clones = GREATEST({table}.clones, EXCLUDED.clones),
                unique_clones = GREATEST({table}.unique_clones, EXCLUDED.unique_clones)
            """,
            params,
        )


def _popular_snapshots_replace(
    *, repository: Repository, snapshot_date: date, referrers: list[dict], paths: list[dict]
) -> None:
    """A later fetch on the same day is GitHub's newer view of its window: it replaces the day's."""
    ReferrerSnapshot.objects.filter(repository=repository, date=snapshot_date).delete()
    ReferrerSnapshot.objects.bulk_create(
        ReferrerSnapshot(
            repository=repository,
            date=snapshot_date,
            referrer=row["referrer"][:255],
            count=row["count"],
            uniques=row["uniques"],
        )
        for row in _unique_by(referrers, "referrer", 255)
    )
    PathSnapshot.objects.filter(repository=repository, date=snapshot_date).delete()
    PathSnapshot.objects.bulk_create(
        PathSnapshot(
            repository=repository,
            date=snapshot_date,
            path=row["path"],
            title=row["title"],
            count=row["count"],
            uniques=row["uniques"],
        )
        for row in _unique_by(paths, "path", 500)
    )


@transaction.atomic
def traffic_snapshot_merge(
    *,
    repository: Repository,
    days: list[DayCounts],
    snapshot_date: date,
    referrers: list[dict],
    paths: list[dict],
) -> None:
    """Keep, for each (repository, day), the maximum of each count across fetches.

    The oldest and the newest day of GitHub's 14-day window are partial, so a later fetch can
    report less than an earlier one for the same day: the maximum never loses what was seen.
    Referrers and paths are GitHub's 14-day totals, kept as one snapshot per day.
    """
    # The row lock serialises two fetches of one repository (the daily job and a refresh) and
    # skips a repository deleted while its answers were on the way.
    locked = Repository.objects.select_for_update().filter(pk=repository.pk)
    if not list(locked.values_list("pk", flat=True)):
        return
    _traffic_days_upsert(repository=repository, days=days)
    _popular_snapshots_replace(
        repository=repository, snapshot_date=snapshot_date, referrers=referrers, paths=paths
    )
    now = timezone.now()
    Repository.objects.filter(pk=repository.pk).update(
        last_fetch_at=now, last_success_at=now, last_error="", last_error_code=""
    )


def _unique_by(rows: list[dict], field: str, length: int) -> list[dict]:
    seen: dict[str, dict] = {}
    for row in rows:
        seen.setdefault(row[field][:length], row)
    return list(seen.values())


def repository_fetch_error_record(*, repository_id, code: str, message: str) -> None:
    """The readable reason the last fetch failed; the traffic kept so far stays."""
    Repository.objects.filter(pk=repository_id).update(
        last_fetch_at=timezone.now(), last_error=message[:300], last_error_code=code[:40]
    )


def traffic_fetch(*, repository_id: str) -> Repository | None:
    """Fetch GitHub's traffic for one repository and merge it; idempotent.

    A failure the seller must fix (token, access, not found) is recorded on the repository and
    not raised. `GithubRateLimited` and `GithubUnavailable` are raised for the caller to retry.
    """
    repository = Repository.objects.filter(pk=repository_id).first()
    if repository is None:
        return None  # deleted since it was queued
    credential_exists = GithubCredential.objects.filter(pk=SINGLETON_PK).exists()
    token = github_token_find()
    if token is None:
        if credential_exists:
            message = "The store's GitHub token can no longer be read: set it again."
            code = TrafficFetchErrorCode.GITHUB_TOKEN_UNREADABLE
        else:
            message = "The store has no GitHub token yet: a member sets one to fetch traffic."
            code = TrafficFetchErrorCode.GITHUB_TOKEN_MISSING
        repository_fetch_error_record(repository_id=repository.pk, code=code, message=message)
        return repository

    base = f"/repos/{repository.owner}/{repository.name}/traffic"
    request = {"token": token, "full_name": repository.full_name}
    try:
        views = github_get(path=f"{base}/views", params={"per": "day"}, **request)
        if views.moved_to:
            if not _repository_move_follow(repository, moved_to=views.moved_to, token=token):
                return repository
            base = f"/repos/{repository.owner}/{repository.name}/traffic"
            request["full_name"] = repository.full_name
        clones = github_get(path=f"{base}/clones", params={"per": "day"}, **request)
        referrers = github_get(path=f"{base}/popular/referrers", **request)
        paths = github_get(path=f"{base}/popular/paths", **request)
        days = _days_parse(views.data, clones.data)
        referrer_rows = _popular_parse(referrers.data, ("referrer",))
        path_rows = _popular_parse(paths.data, ("path", "title"))
    except GithubFetchFailed as error:
        repository_fetch_error_record(
            repository_id=repository.pk, code=error.code, message=error.message
        )
        return repository
    traffic_snapshot_merge(
        repository=repository,
        days=days,
        snapshot_date=paths.server_time.date(),
        referrers=referrer_rows,
        paths=path_rows,
    )
    return repository


# Where GitHub's redirect for a renamed or transferred repository points.
MOVED_BY_ID = re.compile(r"^/repositories/(?P<id>[0-9]+)(?:/|$)")
MOVED_BY_NAME = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)(?:/|$)")


def _moved_name(*, moved_to: str, token: str, full_name: str) -> RepositoryName | None:
    """The repository's name after a redirect: the new `/repos/<owner>/<name>` path, or, for
    `/repositories/<id>/...`, the `full_name` of GitHub's `GET /repositories/<id>`."""
    by_id = MOVED_BY_ID.match(moved_to)
    if by_id is not None:
        answer = github_get(path=f"/repositories/{by_id['id']}", token=token, full_name=full_name)
        value = answer.data.get("full_name") if isinstance(answer.data, dict) else None
        owner, _, name = str(value or "").partition("/")
    elif (by_name := MOVED_BY_NAME.match(moved_to)) is not None:
        owner, name = by_name["owner"], by_name["name"]
    else:
        return None
    if not OWNER_PATTERN.match(owner) or not NAME_PATTERN.match(name):
        raise _bad_response()
    return RepositoryName(owner=owner, name=name)


def repository_rename(*, repository: Repository, owner: str, name: str) -> bool:
    """GitHub renamed or moved `repository`: store its new owner/name; its traffic stays.

    False, and nothing changes, when its seller already follows a repository of that name
    (names compare without case, as on GitHub).
    """
    if (repository.owner, repository.name) == (owner, name):
        return True
    taken = (
        Repository.objects.filter(
            seller_id=repository.seller_id, owner__iexact=owner, name__iexact=name
        )
        .exclude(pk=repository.pk)
        .exists()
    )
    if taken:
        return False
    try:
        with transaction.atomic():
            Repository.objects.filter(pk=repository.pk).update(owner=owner, name=name)
    except IntegrityError:  # the other one was added meanwhile
        return False
    repository.owner, repository.name = owner, name
    return True


def _repository_move_follow(repository: Repository, *, moved_to: str, token: str) -> bool:
    """Rename `repository` after GitHub's redirect; True when the fetch goes on."""
    old_name = repository.full_name
    moved = _moved_name(moved_to=moved_to, token=token, full_name=old_name)
    if moved is None or repository_rename(
        repository=repository, owner=moved.owner, name=moved.name
    ):
        return True
    # Both rows are one GitHub repository now: the other one fetches it; this one keeps the
    # history it has, and storing the traffic here too would only count it twice.
    repository_fetch_error_record(
        repository_id=repository.pk,
        code=TrafficFetchErrorCode.GITHUB_RENAMED_TO_FOLLOWED,
        message=(
            f"GitHub says {old_name} is now {moved.owner}/{moved.name}, which you already "
            "follow: its traffic is fetched there. This entry keeps the history it has; "
            "delete it once you no longer need that."
        ),
    )
    return False
