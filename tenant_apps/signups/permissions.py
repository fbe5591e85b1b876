"""Who may call the widget endpoint: a page on an allowed origin of an active site."""

from rest_framework.permissions import BasePermission

from .errors import SignupsError, SignupsErrorCode
from .models import WidgetSite
from .origins import origin_allowed_check, request_origin
from .selectors import widget_origins_allowed, widget_site_find

WIDGET_MAX_BODY_BYTES = 4 * 1024


class WidgetCallerAllowed(BasePermission):
    """POST: a small body naming (or sent with) the key of an active site of this store, from
    one of that site's origins. OPTIONS (the CORS preflight): an origin the `key` site allows,
    or without a key any active site. Other methods pass on to their 405.

    Sets `request.widget_site` (POST) for the throttles and the view, and
    `request.widget_origin` for the CORS headers; refusals raise their SignupsError.
    """

    def has_permission(self, request, view) -> bool:
        if request.method == "POST":
            request.widget_site = widget_site_of_request(request)
            request.widget_origin = origin_allowed_check(
                request_origin(request), allowed=request.widget_site.allowed_origins
            )
        elif request.method == "OPTIONS":
            # A preflight always carries Origin; a Referer alone does not stand in for it.
            origin = request_origin(request) if request.headers.get("Origin") else None
            allowed = widget_origins_allowed(key=request.query_params.get("key"))
            request.widget_origin = origin_allowed_check(origin, allowed=allowed)
        return True


def widget_site_of_request(request) -> WidgetSite:
    """The active site whose key the request carries: X-Site-Key, `site_key` or `?key=`."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > WIDGET_MAX_BODY_BYTES:
        raise SignupsError(
            "The request body is too large.",
            code=SignupsErrorCode.TOO_LARGE,
            details={"max_bytes": WIDGET_MAX_BODY_BYTES},
        )
    body = request.data
    if not hasattr(body, "get"):
        raise SignupsError("Send a JSON object or a form.", code=SignupsErrorCode.MALFORMED_BODY)
    key = (
        request.headers.get("X-Site-Key")
        or text_field(body.get("site_key"))
        or request.query_params.get("key", "")
    )
    site = widget_site_find(key=key)
    if site is None:
        raise SignupsError(
            "This site key is unknown or switched off.", code=SignupsErrorCode.INVALID_SITE_KEY
        )
    return site


def text_field(value) -> str:
    return value.strip() if isinstance(value, str) else ""
