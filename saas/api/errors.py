"""One error shape for every API answer: {"error", "code", "details"}."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A domain error raised by a service, with a machine code and an HTTP status."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, code: str, details: dict | None = None, status_code=None):
        super().__init__(message)
        self.message = message
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

    def __init__(self, message: str, *, code: str, retry_after_seconds: int):
        super().__init__(message, code=code, details={"retry_after_seconds": retry_after_seconds})


def error_body(message: str, code: str, details: dict | None = None) -> dict:
    return {"error": message, "code": code, "details": details or {}}


def error_json_response(message: str, code: str, status_code: int, details=None) -> JsonResponse:
    return JsonResponse(error_body(message, code, details), status=status_code)


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for field, value in detail.items():
            text = _first_message(value)
            return text if field in ("non_field_errors", "detail") else f"{field}: {text}"
        return "Invalid input."
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else "Invalid input."
    return str(detail)


def _validation_code(detail) -> str:
    """The code of the first failing rule, e.g. "required" or "invalid"."""
    if isinstance(detail, dict):
        for value in detail.values():
            return _validation_code(value)
    if isinstance(detail, list) and detail:
        return _validation_code(detail[0])
    return getattr(detail, "code", None) or "invalid"


_STATUS_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "malformed_body",
}


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        response = Response(error_body(exc.message, exc.code, exc.details), status=exc.status_code)
        if "retry_after_seconds" in exc.details:
            response["Retry-After"] = str(exc.details["retry_after_seconds"])
        return response
    if isinstance(exc, DjangoValidationError):
        details = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        code = getattr(exc, "code", None) or "invalid"
        return Response(error_body(_first_message(details), code, details), status=400)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("The request body is too large.", "too_large"), status=413)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(_first_message(details), _validation_code(details), details)
        return response
    code = next((c for cls, c in _STATUS_CODES.items() if isinstance(exc, cls)), None)
    code = code or getattr(exc, "default_code", "error")
    details = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        details["retry_after_seconds"] = int(exc.wait)
    response.data = error_body(_first_message(exc.detail), code, details)
    return response
