"""GitHub's REST API as the traffic tool needs it: one GET, errors sorted by what to do next.

* `GithubFetchFailed`: this repository cannot be fetched now (bad token, no push access, not
  found, unexpected answer); the seller has to act, retrying will not help.
* `GithubRateLimited`: try again once GitHub's limit resets (`retry_after_seconds`).
* `GithubUnavailable`: the network or GitHub failed; try again with backoff.

GitHub's clock is taken from the `Date` header of its answers: a fetch's snapshot date is
GitHub's "today", not ours (and tests move that clock by moving the fake server's).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings

from .errors import TrafficFetchErrorCode

TIMEOUT_SECONDS = (5, 20)  # connect, read
MAX_RATE_LIMIT_WAIT_SECONDS = 3600
DEFAULT_RATE_LIMIT_WAIT_SECONDS = 60


class GithubError(Exception):
    def __init__(self, message: str, *, code: TrafficFetchErrorCode):
        super().__init__(message)
        self.message = message
        self.code = code


class GithubFetchFailed(GithubError):
    pass


class GithubUnavailable(GithubError):
    pass


class GithubRateLimited(GithubError):
    def __init__(self, message: str, *, code: TrafficFetchErrorCode, retry_after_seconds: int):
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class GithubAnswer:
    data: object
    server_time: datetime


def _server_time(response: requests.Response) -> datetime:
    try:
        return parsedate_to_datetime(response.headers["Date"]).astimezone(UTC)
    except (KeyError, TypeError, ValueError, IndexError):
        return datetime.now(tz=UTC)


def _rate_limit_wait_seconds(response: requests.Response, server_time: datetime) -> int | None:
    """Seconds until GitHub lets us in again, or None when this is not a rate limit answer."""
    if response.status_code not in (403, 429):
        return None
    retry_after = response.headers.get("Retry-After", "")
    if retry_after.isdigit():  # secondary rate limits say how long to wait
        wait = int(retry_after)
    elif response.headers.get("X-RateLimit-Remaining") == "0":
        reset = response.headers.get("X-RateLimit-Reset", "")
        if reset.isdigit():
            wait = int(reset) - int(server_time.timestamp()) + 1
        else:
            wait = DEFAULT_RATE_LIMIT_WAIT_SECONDS
    elif response.status_code == 429:
        wait = DEFAULT_RATE_LIMIT_WAIT_SECONDS
    else:
        return None
    return max(1, min(wait, MAX_RATE_LIMIT_WAIT_SECONDS))


def github_get(*, path: str, token: str, full_name: str, params: dict | None = None):
    """GET `path` (e.g. /repos/o/r/traffic/views) and return a GithubAnswer."""
    url = settings.GITHUB_API_URL.rstrip("/") + path
    headers = {
        "Accept": "application/vnd.github+json",
        "Authorization": f"Bearer {token}",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "seller-suite-traffic",
    }
    try:
        response = requests.get(url, headers=headers, params=params, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise GithubUnavailable(
            f"GitHub could not be reached ({error.__class__.__name__}).",
            code=TrafficFetchErrorCode.GITHUB_UNREACHABLE,
        ) from error

    server_time = _server_time(response)
    wait = _rate_limit_wait_seconds(response, server_time)
    if wait is not None:
        raise GithubRateLimited(
            f"GitHub's rate limit is used up; the fetch is retried in {wait} s.",
            code=TrafficFetchErrorCode.GITHUB_RATE_LIMITED,
            retry_after_seconds=wait,
        )
    if response.status_code == 401:
        raise GithubFetchFailed(
            "GitHub refused the store's token (bad credentials): set a new GitHub token.",
            code=TrafficFetchErrorCode.GITHUB_BAD_TOKEN,
        )
    if response.status_code == 403:
        raise GithubFetchFailed(
            f"The store's GitHub token has no push access to {full_name}; "
            "GitHub shows traffic only to collaborators with push access.",
            code=TrafficFetchErrorCode.GITHUB_NO_PUSH_ACCESS,
        )
    if response.status_code == 404:
        raise GithubFetchFailed(
            f"GitHub has no repository {full_name}, or the store's token cannot see it.",
            code=TrafficFetchErrorCode.GITHUB_NOT_FOUND,
        )
    if response.status_code >= 500:
        raise GithubUnavailable(
            f"GitHub answered {response.status_code} (a failure on its side).",
            code=TrafficFetchErrorCode.GITHUB_UNAVAILABLE,
        )
    if response.status_code != 200:
        raise GithubFetchFailed(
            f"GitHub answered {response.status_code} for {full_name}.",
            code=TrafficFetchErrorCode.GITHUB_ERROR,
        )
    try:
        data = response.json()
    except ValueError as error:
        raise GithubFetchFailed(
            "GitHub's answer was not JSON.", code=TrafficFetchErrorCode.GITHUB_BAD_RESPONSE
        ) from error
    return GithubAnswer(data=data, server_time=server_time)
