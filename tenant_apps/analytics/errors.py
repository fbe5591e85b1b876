"""Every error code support analytics answers with, each with its one status."""

from saas.api.errors import ApplicationError, ErrorCode


class AnalyticsErrorCode(ErrorCode):
    # Ingestion. A batch over the limit stays 400 (not 413): the body is valid JSON of a
    # size we read, only the number of events is refused, and clients already handle 400.
    NO_EVENTS = ("no_events", 400)
    INVALID_EVENTS = ("invalid_events", 400)
    BATCH_TOO_LARGE = ("batch_too_large", 400)
    # Dashboard reads.
    INVALID_TIMEZONE = ("invalid_timezone", 400)  # raised by saas.validation.validate_timezone
    DATE_OUT_OF_RANGE = ("date_out_of_range", 400)  # raised by saas.api.fields.DateParameterField
    INVALID_RANGE = ("invalid_range", 400)
    RANGE_TOO_LONG = ("range_too_long", 400)
    # A filter naming an agent or channel no event has mentioned is bad input, not an absent
    # resource: the URL exists, the query parameter is wrong.
    UNKNOWN_AGENT = ("unknown_agent", 400)
    UNKNOWN_CHANNEL = ("unknown_channel", 400)
    # Ingestion tokens.
    NAME_REQUIRED = ("name_required", 400)
    TOKEN_NOT_FOUND = ("token_not_found", 404)


class AnalyticsError(ApplicationError):
    """Raised with an `AnalyticsErrorCode` member, which carries the answer's status."""

    def __init__(self, message: str, *, code: AnalyticsErrorCode, details: dict | None = None):
        super().__init__(message, code=code, details=details)
