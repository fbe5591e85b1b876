"""Every error code the stores API answers, one status each."""

from saas.api.errors import ErrorCode


class StoreErrorCode(ErrorCode):
    STORE_NOT_FOUND = ("store_not_found", 404)
    INVALID_NAME = ("invalid_name", 400)
    RESERVED_NAME = ("reserved_name", 400)
    INVALID_TIMEZONE = ("invalid_timezone", 400)
