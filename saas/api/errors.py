"""One error shape for every API answer: {"error", "code", "details"}.


Domain errors live here; turning any exception into an answer is `exception_handler.py`'s job.
This module imports nothing of DRF's views, so authentication classes (which DRF's settings
import while `rest_framework.views` loads) may raise these errors.
"""

from enum import Enum

from django.http import JsonResponse
from rest_framework import status


class ErrorCode(Enum):
    """Base of each tool's `errors.py` enum: every member is `(code, HTTP status)`, once.

    class TrafficErrorCode(ErrorCode):
        REPOSITORY_NOT_FOUND = ("repository_not_found", 404)
    """

    def __init__(self, code: str, status_code: int):
        self.code = code
        self.status_code = status_code


class ApplicationError(Exception):
    """A domain error raised by a service, with a machine code and an HTTP status.

    `code` is a member of the tool's `ErrorCode` enum (which carries its status), or a plain
    string with the class's status.
    """

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        message: str,
        *,
        code: "str | ErrorCode",
        details: dict | None = None,
        status_code: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        if isinstance(code, ErrorCode):
            self.code = code.code
            self.status_code = code.status_code
        else:
            self.code = code
        self.details = details or {}
        if status_code is not None:
            self.status_code = status_code


class NotFoundError(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND


class ConflictError(ApplicationError):
    status_code = status.HTTP_409_CONFLICT


class ThrottledError(ApplicationError):
    """Too many attempts; `retry_after_seconds` becomes the Retry-After header."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS

    def __init__(self, message: str, *, code: "str | ErrorCode", retry_after_seconds: int):
        super().__init__(message, code=code, details={"retry_after_seconds": retry_after_seconds})


def error_body(message: str, code: str, details: dict | None = None) -> dict:
    return {"error": message, "code": code, "details": details or {}}


def error_json_response(message: str, code: str, status_code: int, details=None) -> JsonResponse:
    return JsonResponse(error_body(message, code, details), status=status_code)
