"""GitHub's REST API as the traffic tool needs it: one GET, errors sorted by what to do next.

* `GithubFetchFailed`: this repository cannot be fetched now (bad token, a missing
  permission, not found, unexpected answer); the seller has to act, retrying will not help.
* `GithubRateLimited`: a primary or secondary rate limit; `countdown(attempt)` says when to
  try again.
* `GithubUnavailable`: the network or GitHub failed; try again with backoff.

What GitHub documents, and what this module does with it
(https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api and
https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api):

* A rate limit answers 403 or 429. Primary: `x-ratelimit-remaining: 0`, wait until
  `x-ratelimit-reset` (epoch seconds). Secondary: a `retry-after` header (wait that long), or
  no header and a message that says "secondary rate limit" with requests remaining: wait at
  least a minute, longer after each failure (exponential backoff).
* A renamed or transferred repository answers 301 (or 302/307) with a `Location`, often
  `/repositories/<id>/...`: the client follows it (on GitHub's API host only) and tells the
  caller, who stores the new owner/name.
* A 403 that is not a limit is a missing permission: GitHub's message and, for fine-grained
  tokens, `X-Accepted-GitHub-Permissions` say which; traffic needs push access (classic
  tokens) or "Administration: read" (fine-grained).

GitHub's clock is taken from the `Date` header of its answers: a fetch's snapshot date is
GitHub's "today", not ours (and tests move that clock by moving the fake server's).
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

from .errors import TrafficFetchErrorCode

TIMEOUT_SECONDS = (5, 20)  # connect, read
API_VERSION = "2022-11-28"
USER_AGENT = "seller-suite-traffic"
MAX_REDIRECTS = 3
REDIRECT_STATUSES = (301, 302, 307, 308)
# Waits: GitHub's own figure when it gives one (capped: a primary limit resets within the
# hour), else at least a minute, doubling after each secondary limit in a row.
MAX_RATE_LIMIT_WAIT_SECONDS = 3600
SECONDARY_MIN_WAIT_SECONDS = 60
# Jitter spreads the retries of one store's repositories (they share a token and a limit).
PRIMARY_JITTER_MAX_SECONDS = 30
SECONDARY_LIMIT_WORDS = "secondary rate limit"


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
    """A rate limit; `retry_after_seconds` is the least GitHub asks us to wait."""

    def __init__(
        self,
        message: str,
        *,
        code: TrafficFetchErrorCode,
        retry_after_seconds: int,
        secondary: bool = False,
    ):
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds
        self.secondary = secondary

    def countdown(self, attempt: int, *, rng: random.Random | None = None) -> int:
        """Seconds before retry number `attempt` + 1 (0 for the first retry), jitter included.

        Primary: until the reset, plus up to 30 s. Secondary: at least a minute, doubling per
        attempt (60, 120, 240 ... s, at most an hour) and never less than GitHub's
        `retry-after`, plus up to a quarter more: each retry waits longer than the one before.
        """
        rng = rng or random
        if not self.secondary:
            wait = self.retry_after_seconds
            return wait + rng.randint(0, min(PRIMARY_JITTER_MAX_SECONDS, wait))
        backoff = SECONDARY_MIN_WAIT_SECONDS * 2 ** min(max(attempt, 0), 10)
        wait = min(MAX_RATE_LIMIT_WAIT_SECONDS, max(backoff, self.retry_after_seconds))
        return wait + rng.randint(0, wait // 4)


@dataclass(frozen=True)
class GithubAnswer:
    data: object
    server_time: datetime
    # The API path the answer came from after GitHub's redirects (None: not redirected).
    moved_to: str | None = None


def api_url(path: str) -> str:
    return settings.GITHUB_API_URL.rstrip("/") + path


def _server_time(response: requests.Response) -> datetime:
    try:
        return parsedate_to_datetime(response.headers["Date"]).astimezone(UTC)
    except (KeyError, TypeError, ValueError, IndexError):
        return datetime.now(tz=UTC)


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("message") or "")[:200] if isinstance(body, dict) else ""


def _rate_limit(response: requests.Response, server_time: datetime) -> GithubRateLimited | None:
    """The rate limit this answer reports, or None when it is not one.

    GitHub's order: a `retry-after` says how long; else `x-ratelimit-remaining: 0` waits for
    `x-ratelimit-reset`; else a "secondary rate limit" message (or a bare 429) waits at least a
    minute. Secondary limits back off further on each repeat (see `countdown`).
    """
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry_after = headers.get("Retry-After", "").strip()
    secondary = SECONDARY_LIMIT_WORDS in _message(response).lower()
    if retry_after.isdigit():
        wait, secondary = int(retry_after), True
    elif headers.get("X-RateLimit-Remaining", "").strip() == "0":
        reset = headers.get("X-RateLimit-Reset", "").strip()
        wait = int(reset) - int(server_time.timestamp()) + 1 if reset.isdigit() else 60
    elif secondary or response.status_code == 429:
        wait, secondary = SECONDARY_MIN_WAIT_SECONDS, True
    else:
        return None
    wait = max(1, min(wait, MAX_RATE_LIMIT_WAIT_SECONDS))
    kind = "secondary rate limit" if secondary else "rate limit"
    return GithubRateLimited(
        f"GitHub's {kind} was hit; the fetch is retried in about {wait} s or more.",
        code=TrafficFetchErrorCode.GITHUB_RATE_LIMITED,
        retry_after_seconds=wait,
        secondary=secondary,
    )


def _permissions_needed(accepted: str) -> str:
    """`X-Accepted-GitHub-Permissions` in words: sets split by ";" (any one set will do), the
    permissions of a set by "," ("administration=read" -> "Administration: read")."""
    choices = []
    for permission_set in accepted.split(";"):
        names = [
            f"{name.strip().replace('_', ' ').capitalize()}: {level.strip()}"
            for name, _, level in (part.partition("=") for part in permission_set.split(","))
            if name.strip() and level.strip()
        ]
        if names:
            choices.append(" and ".join(names))
    return " or ".join(choices)


def _forbidden(response: requests.Response, full_name: str) -> GithubFetchFailed:
    """A 403 that is no rate limit: which permission is missing, in the seller's words."""
    said = _message(response)
    sso = response.headers.get("X-GitHub-SSO", "")
    if sso:
        link = sso.partition("url=")[2].strip()
        return GithubFetchFailed(
            f"The organisation of {full_name} requires SAML single sign-on: authorise the "
            f"store's GitHub token for it{f' at {link}' if link else ''}.",
            code=TrafficFetchErrorCode.GITHUB_SSO_REQUIRED,
        )
    accepted = response.headers.get("X-Accepted-GitHub-Permissions", "").strip()
    if accepted or "personal access token" in said.lower():
        needed = _permissions_needed(accepted)
        return GithubFetchFailed(
            f"The store's GitHub token lacks a permission on {full_name}: give the "
            f"fine-grained token {needed or 'Administration: read'} (GitHub: {said or '403'}).",
            code=TrafficFetchErrorCode.GITHUB_MISSING_PERMISSION,
        )
    return GithubFetchFailed(
        f"The store's GitHub token has no push access to {full_name}; "
        "GitHub shows traffic only to collaborators with push access (a classic token also "
        "needs the repo scope, a fine-grained one Administration: read).",
        code=TrafficFetchErrorCode.GITHUB_NO_PUSH_ACCESS,
    )


def _send(url: str, *, token: str, params: dict | None) -> requests.Response:
    headers = {
        "Accept": "application/vnd.github+json",
        "Authorization": f"Bearer {token}",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": USER_AGENT,
    }
    try:
        return requests.get(
            url, headers=headers, params=params, timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as error:
        raise GithubUnavailable(
            f"GitHub could not be reached ({error.__class__.__name__}).",
            code=TrafficFetchErrorCode.GITHUB_UNREACHABLE,
        ) from error


def _redirect_target(response: requests.Response, url: str) -> str | None:
    """Where a redirect points, on GitHub's API host only (the token goes nowhere else)."""
    location = response.headers.get("Location", "")
    if response.status_code not in REDIRECT_STATUSES or not location:
        return None
    target = urljoin(url, location)
    api = urlsplit(settings.GITHUB_API_URL)
    moved = urlsplit(target)
    if (moved.scheme, moved.netloc) != (api.scheme, api.netloc):
        raise GithubFetchFailed(
            f"GitHub redirected to another host ({moved.netloc}); not followed.",
            code=TrafficFetchErrorCode.GITHUB_ERROR,
        )
    return target


def _api_path(url: str) -> str:
    """The path of `url` under GITHUB_API_URL (which may have a path of its own)."""
    base = urlsplit(settings.GITHUB_API_URL).path.rstrip("/")
    path = urlsplit(url).path
    return path[len(base) :] if base and path.startswith(base) else path


def github_get(*, path: str, token: str, full_name: str, params: dict | None = None):
    """GET `path` (e.g. /repos/o/r/traffic/views), following GitHub's redirects; a GithubAnswer."""
    url, moved_to = api_url(path), None
    for _ in range(MAX_REDIRECTS + 1):
        response = _send(url, token=token, params=params)
        target = _redirect_target(response, url)
        if target is None:
            break
        if urlsplit(target).query:
            params = None  # the Location carries the query
        url = target
        moved_to = _api_path(target)
    else:
        raise GithubFetchFailed(
            f"GitHub redirected {full_name} more than {MAX_REDIRECTS} times.",
            code=TrafficFetchErrorCode.GITHUB_ERROR,
        )
    return GithubAnswer(
        data=_answer_data(response, full_name),
        server_time=_server_time(response),
        moved_to=moved_to,
    )


def _answer_data(response: requests.Response, full_name: str) -> object:
    limit = _rate_limit(response, _server_time(response))
    if limit is not None:
        raise limit
    status = response.status_code
    if status == 401:
        raise GithubFetchFailed(
            "GitHub refused the store's token (bad credentials): set a new GitHub token.",
            code=TrafficFetchErrorCode.GITHUB_BAD_TOKEN,
        )
    if status == 403:
        raise _forbidden(response, full_name)
    if status == 404:
        raise GithubFetchFailed(
            f"GitHub has no repository {full_name}, or the store's token cannot see it.",
            code=TrafficFetchErrorCode.GITHUB_NOT_FOUND,
        )
    if status >= 500:
        raise GithubUnavailable(
            f"GitHub answered {status} (a failure on its side).",
            code=TrafficFetchErrorCode.GITHUB_UNAVAILABLE,
        )
    if status != 200:
        raise GithubFetchFailed(
            f"GitHub answered {status} for {full_name}.", code=TrafficFetchErrorCode.GITHUB_ERROR
        )
    try:
        return response.json()
    except ValueError as error:
        raise GithubFetchFailed(
            "GitHub's answer was not JSON.", code=TrafficFetchErrorCode.GITHUB_BAD_RESPONSE
        ) from error
