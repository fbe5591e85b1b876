"""Every error code the repository traffic tool answers with, each with its one status.

`TrafficFetchErrorCode` lists the codes a failed fetch records on a repository (shown as
`last_fetch.error_code`); they are never the status of an HTTP answer.
"""

from enum import StrEnum

from saas.api.errors import ApplicationError, ErrorCode


class TrafficErrorCode(ErrorCode):
    INVALID_URL = ("invalid_url", 400)
    NOT_GITHUB = ("not_github", 400)
    NOT_A_REPOSITORY = ("not_a_repository", 400)
    REPOSITORY_EXISTS = ("repository_exists", 400)
    INVALID_TOKEN = ("invalid_token", 400)
    INVALID_DATE = ("invalid_date", 400)
    INVALID_RANGE = ("invalid_range", 400)
    # Absent, or another seller's: GET /api/repos/<id> and POST .../refresh.
    REPOSITORY_NOT_FOUND = ("repository_not_found", 404)
    # POST /api/repos/<id>/delete of a repository the caller does not follow: the traffic
    # contract (issue 7) answers 400 there, so it has a code of its own.
    REPOSITORY_NOT_FOLLOWED = ("repository_not_followed", 400)
    # DELETE /api/traffic/share-tokens/<id> of a link that is absent or another seller's.
    SHARE_TOKEN_NOT_FOUND = ("share_token_not_found", 404)


class TrafficError(ApplicationError):
    """Raised with a `TrafficErrorCode` member, which carries the answer's status."""

    def __init__(self, message: str, *, code: TrafficErrorCode, details: dict | None = None):
        super().__init__(message, code=code, details=details)


class DateRangeError(TrafficError):
    """`?start=&end=` that is not a date range (a 400 answer or a 400 page)."""


class TrafficFetchErrorCode(StrEnum):
    GITHUB_TOKEN_MISSING = "github_token_missing"
    GITHUB_TOKEN_UNREADABLE = "github_token_unreadable"
    GITHUB_BAD_TOKEN = "github_bad_token"
    GITHUB_NO_PUSH_ACCESS = "github_no_push_access"
    # A fine-grained token without "Administration: read" (GitHub names what is missing).
    GITHUB_MISSING_PERMISSION = "github_missing_permission"
    # The repository's organisation enforces SAML SSO and the token is not authorised for it.
    GITHUB_SSO_REQUIRED = "github_sso_required"
    GITHUB_NOT_FOUND = "github_not_found"
    # GitHub says the repository was renamed or moved to a name this seller already follows:
    # the row keeps its history and its old name; the other row fetches the traffic.
    GITHUB_RENAMED_TO_FOLLOWED = "github_renamed_to_followed"
    GITHUB_ERROR = "github_error"
    GITHUB_BAD_RESPONSE = "github_bad_response"
    GITHUB_RATE_LIMITED = "github_rate_limited"
    GITHUB_UNREACHABLE = "github_unreachable"
    GITHUB_UNAVAILABLE = "github_unavailable"
