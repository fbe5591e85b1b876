"""Who may call the widget endpoint: a page on an allowed origin of an active site."""

from rest_framework.permissions import BasePermission

from .errors import SignupsError, SignupsErrorCode
from .models import WidgetSite
from .origins import origin_allowed_check, origin_from_url, request_origin
from .selectors import (
    widget_origins_allowed,
    widget_site_entry,
    widget_site_find,
    widget_site_memo_forget,
    widget_site_read,
)
from .services import widget_origin_refused_record, widget_preview_token_valid

WIDGET_MAX_BODY_BYTES = 4 * 1024


class WidgetCallerAllowed(BasePermission):
    """POST: a small body naming (or sent with) the key of an active site of this store, from
    one of that site's origins. OPTIONS (the CORS preflight): any origin with the key of an
    active site (the POST checks it), or without a key an origin of any active site. Other
    methods pass on to their 405.

    Sets `request.widget_site` (POST) for the throttles and the view (and
    `request.widget_site_guard` when it is this worker's copy), `request.widget_preview`
    (the console's preview page: checked, never stored) and `request.widget_origin` for the
    CORS headers; refusals raise their SignupsError.
    """

    def has_permission(self, request, view) -> bool:
        if request.method == "POST":
            self.post_check(request, memo=True)
        elif request.method == "OPTIONS":
            # A preflight always carries Origin; a Referer alone does not stand in for it.
            origin = request_origin(request) if request.headers.get("Origin") else None
            key = request.query_params.get("key")
            if key and origin and widget_site_find(key=key) is not None:
                # An active site's key: let the browser send the POST, which checks the
                # origin and answers a refusal the widget can read.
                request.widget_origin = origin
            else:
                allowed = widget_origins_allowed(key=key)
                request.widget_origin = origin_allowed_check(origin, allowed=allowed)
        return True

    def post_check(self, request, *, memo: bool) -> None:
        """The POST's checks; with `memo`, on this worker's copy of the site when it has one
        (`request.widget_site_guard` then asks the throttles to confirm it is current)."""
        key = widget_site_key_of_request(request)
        entry = widget_site_entry(key=key) if memo else widget_site_read(key=key)
        if entry is None:
            raise SignupsError(
                "This site key is unknown or switched off.", code=SignupsErrorCode.INVALID_SITE_KEY
            )
        request.widget_site = site = entry.site
        request.widget_site_guard = entry.guard
        origin = request_origin(request)
        if request.headers.get("Origin"):
            # Echoed on the answer, a refusal included: the widget reads *why* it was
            # refused ("not set up") instead of a blind network error.
            request.widget_origin = origin
        request.widget_preview = widget_preview_allowed(request, site=site, origin=origin)
        if request.widget_preview:
            return
        if entry.guard is not None and not origin_allowed(origin, site=site):
            # Refused on this worker's copy: decide (and record) on the current one.
            widget_site_memo_forget(key=key)
            return self.post_check(request, memo=False)
        origin_checked(origin, site=site)


def origin_allowed(origin: str | None, *, site: WidgetSite) -> bool:
    return origin is not None and origin in site.allowed_origins


def origin_checked(origin: str | None, *, site: WidgetSite) -> str:
    """The origin when the site allows it; else the refusal is remembered for the seller's
    console (throttled, bounded) and raised."""
    try:
        return origin_allowed_check(origin, allowed=site.allowed_origins)
    except SignupsError:
        if origin is not None:
            widget_origin_refused_record(site_id=site.pk, origin=origin)
        raise


def widget_preview_allowed(request, *, site: WidgetSite, origin: str | None) -> bool:
    """The console's preview page: the store's own host, with a preview token of this site."""
    token = request.headers.get("X-Widget-Preview", "")
    if not token or origin is None:
        return False
    own_origin = origin_from_url(request.build_absolute_uri("/"))
    return origin == own_origin and widget_preview_token_valid(token=token, site=site)


def widget_site_key_of_request(request) -> str:
    """The site key the request carries: X-Site-Key, `site_key` or `?key=`."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > WIDGET_MAX_BODY_BYTES:
        raise SignupsError(
            "The request body is too large.",
            code=SignupsErrorCode.TOO_LARGE,
            details={"max_bytes": WIDGET_MAX_BODY_BYTES},
        )
    body = request.data
    if not hasattr(body, "get"):
        raise SignupsError("Send a JSON object or a form.", code=SignupsErrorCode.MALFORMED_BODY)
    return (
        request.headers.get("X-Site-Key")
        or text_field(body.get("site_key"))
        or request.query_params.get("key", "")
    )


def text_field(value) -> str:
    return value.strip() if isinstance(value, str) else ""
