"""The exception handler: every error, ours or DRF's, as {"error", "code", "details"}."""

import math

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .errors import ApplicationError, error_body


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


def _retry_after(response, details: dict, seconds) -> None:
    """A 429's wait, in the Retry-After header and in details: `retry_after`, and under the
    name 429s answered with before (`retry_after_seconds`), which clients already read."""
    seconds = max(1, math.ceil(float(seconds)))
    details["retry_after"] = details["retry_after_seconds"] = seconds
    response["Retry-After"] = str(seconds)


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        details = dict(exc.details)
        response = Response(error_body(exc.message, exc.code, details), status=exc.status_code)
        wait = details.get("retry_after", details.get("retry_after_seconds"))
        if wait is not None:
            _retry_after(response, details, wait)
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
        _retry_after(response, details, exc.wait)
    response.data = error_body(_first_message(exc.detail), code, details)
    return response
