import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.shortcuts import render
from rest_framework.views import APIView

from saas.api.errors import error_json_response
from saas.api.views import server_error_response

NUL = "\x00"


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies with 413 before any view or parser reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_json_response("Content-Length is not a number.", "bad_length", 400)
        if length > settings.REQUEST_MAX_BODY_BYTES:
            return error_json_response(
                "The request body is too large.",
                "too_large",
                413,
                {"max_bytes": settings.REQUEST_MAX_BODY_BYTES},
            )
        return self.get_response(request)


def _nul_field(request) -> str | None:
    """Where the request holds a NUL character, or None: its path, a query parameter (name or
    value) or a field of a form body. JSON bodies are the serializers' (their CharFields refuse
    NUL with `null_characters_not_allowed`); multipart ones are parsed only by the view."""
    if NUL in request.path_info:
        return "path"
    parameters = [request.GET]
    if request.content_type == "application/x-www-form-urlencoded":
        parameters.append(request.POST)
    for query in parameters:
        for name, values in query.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "\\x00")
    return None


class NulCharacterMiddleware:
    """Refuse a NUL character in the path, the query or a form body with 400 `invalid_input`.

    PostgreSQL cannot store NUL in text, and psycopg2 refuses to send it (ValueError, a 500):
    no parameter may carry one, so none reaches a view that forgets to check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = _nul_field(request)
        if field is None:
            return self.get_response(request)
        message = "The request holds a NUL character (\\x00), which no field accepts."
        browser = request.get_preferred_type(["application/json", "text/html"]) == "text/html"
        if _is_api(request) or not browser:
            return error_json_response(message, "invalid_input", 400, {"field": field})
        context = {"title": "Invalid request", "message": message}
        return render(request, "error.html", context, status=400)


def _is_api(request) -> bool:
    if request.path_info.startswith("/api/"):
        return True
    match = getattr(request, "resolver_match", None)
    view_class = getattr(match.func, "cls", None) if match else None
    return isinstance(view_class, type) and issubclass(view_class, APIView)


@receiver(got_request_exception, dispatch_uid="saas.middleware.uncaught_exception_keep")
def _uncaught_exception_keep(sender, request=None, **kwargs):
    # Sent inside Django's except block: ApiJsonErrorsMiddleware tells an outage from a bug.
    if request is not None:
        request.uncaught_exception = sys.exc_info()[1]


class ApiJsonErrorsMiddleware:
    """API paths answer Django's own errors as JSON {"error", "code", "details"} whatever
    DEBUG is.

    Under DEBUG Django answers an unmatched URL and an uncaught exception with its technical
    pages instead of handler404 / handler500 (saas.api.views), and a bare 405 has no body.
    Outermost, so it also sees what the other middleware answer. A page a view rendered on
    purpose (the e-mail verification page is under /api/) stays as it is, and so do the log
    and traceback of an exception.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not _is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        error = getattr(request, "uncaught_exception", None)
        if error is not None and response.status_code >= 500:
            return server_error_response(error)
        if response.status_code == 404 and request.resolver_match is None:
            return error_json_response("Not found.", "not_found", 404)
        if response.status_code == 405 and not response.content:
            answer = error_json_response(
                "This method is not allowed here.", "method_not_allowed", 405
            )
            answer["Allow"] = response.get("Allow", "")
            return answer
        return response
