import sys

import redis
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.views import defaults

from .errors import error_json_response


def unknown_host_view(request):
    """Any host that is neither the platform nor a store's domain: a JSON 404, nothing else."""
    return error_json_response("No store answers on this host.", "unknown_host", 404)


def healthz_view(request):
    """Database and Redis status; 503 when one is down.

    `?probe=ready` (the orchestrator's readiness probe) checks the database only: without
    Redis the app degrades but still serves, so a Redis outage must not take every pod out.
    """
    probe = request.GET.get("probe", "")
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure is the answer, not a crash
        checks["database"] = f"error: {error.__class__.__name__}"
    if probe == "ready":
        return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        client.ping()
        checks["redis"] = "ok"
    except Exception as error:
        checks["redis"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def bad_request_view(request, exception=None):
    """Django's own 400 (a body it refuses to read: too many form fields, a broken multipart
    boundary, a suspicious header): JSON on API paths like every other API error."""
    if request.path_info.startswith("/api/"):
        return error_json_response("The request could not be read.", "bad_request", 400)
    return defaults.bad_request(request, exception)


def json_not_found_view(request, exception=None):
    return error_json_response("Not found.", "not_found", 404)


def server_error_response(error: BaseException | None) -> JsonResponse:
    """The JSON answer to an uncaught `error`: a database we cannot reach — down, restarting,
    or out of connections ("too many clients already" at connect) — is an outage (503, the app
    reconnects by itself), not a bug (500)."""
    if isinstance(error, OperationalError | InterfaceError):
        response = error_json_response(
            "The service is briefly unavailable; try again.", "unavailable", 503
        )
        response["Retry-After"] = "5"
        return response
    return error_json_response("Something went wrong on our side.", "server_error", 500)


def json_server_error_view(request):
    # Django calls this inside its except block, so the exception is still at hand.
    return server_error_response(sys.exc_info()[1])
