"""Every error code the customer acquisition tool answers with, each with its one status."""

from saas.api.errors import ApplicationError, ErrorCode


class SignupsErrorCode(ErrorCode):
    INVALID_EMAIL = ("invalid_email", 400)
    INVALID_NAME = ("invalid_name", 400)
    INVALID_ORIGIN = ("invalid_origin", 400)
    INVALID_SINCE = ("invalid_since", 400)
    MALFORMED_BODY = ("malformed_body", 400)
    TOO_MANY_ORIGINS = ("too_many_origins", 400)
    INVALID_SITE_KEY = ("invalid_site_key", 403)
    ORIGIN_NOT_ALLOWED = ("origin_not_allowed", 403)
    SITE_NOT_FOUND = ("site_not_found", 404)
    REFUSED_ORIGIN_NOT_FOUND = ("refused_origin_not_found", 404)
    TOO_LARGE = ("too_large", 413)
    THROTTLED = ("throttled", 429)


class SignupsError(ApplicationError):
    """Raised with a `SignupsErrorCode` member, which carries the answer's status."""

    def __init__(self, message: str, *, code: SignupsErrorCode, details: dict | None = None):
        super().__init__(message, code=code, details=details)
