from django.conf import settings

from saas.api.errors import error_json_response


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
