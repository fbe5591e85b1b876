"""HTML for the seller (the CSV export; the old dashboard URL) and the widget's script file."""

import csv
import hashlib
from pathlib import Path

from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from saas.access.timezone import current_store_timezone
from saas.access.views import store_member_required
from saas.validation import csv_cell
from tenants.models import store_url_for_host

from . import selectors

WIDGET_SCRIPT_PATH = Path(settings.BASE_DIR) / "static" / "widgets" / "signup.v1.js"
# A fixed name (v1) that pages embed for good: a fix reaches every page within five minutes
# (as nginx serves it, deploy/nginx/snippets/static.conf); meanwhile a stale copy may be used
# while it is revalidated, so visitors never wait on us.
WIDGET_SCRIPT_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"


def widget_snippet(*, store, key: str) -> str:
    platform = store_url_for_host(settings.SAAS_ROOT_DOMAIN)
    return (
        f'<script src="{platform}static/widgets/signup.v1.js" data-site-key="{key}" '
        f'data-endpoint="{store.link}api/widget/signups" async></script>'
    )


@require_GET
@store_member_required  # members only, like every page it stood for
def signup_dashboard_view(request):
    """The old signups page: it lives in the console now (/console/signups/)."""
    return redirect("console-signups", permanent=True)


class _Echo:
    def write(self, value):
        return value


@require_GET
@store_member_required
def signup_export_csv_view(request):
    zone = current_store_timezone()
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["email", "name", "page_url", "consent", "consent_at", "created_at",
                               "site"])  # fmt: skip
        for signup in selectors.signup_list().iterator(chunk_size=1000):
            consent_at = timezone.localtime(signup.consent_at, zone) if signup.consent_at else ""
            yield writer.writerow(
                [
                    csv_cell(signup.email),
                    csv_cell(signup.name),
                    csv_cell(signup.page_url),
                    "yes" if signup.consent else "no",
                    consent_at.isoformat() if consent_at else "",
                    timezone.localtime(signup.created_at, zone).isoformat(),
                    csv_cell(signup.site.name if signup.site else ""),
                ]
            )

    filename = f"signups-{request.tenant.slug}-{timezone.localdate(timezone=zone):%Y-%m-%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


_script_cache: dict = {}


def _widget_script() -> tuple[bytes, str]:
    """The built file and its ETag, re-read only when the file changes."""
    stat = WIDGET_SCRIPT_PATH.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    if _script_cache.get("stamp") != stamp:
        content = WIDGET_SCRIPT_PATH.read_bytes()
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        _script_cache.update(stamp=stamp, content=content, etag=etag)
    return _script_cache["content"], _script_cache["etag"]


def widget_script_headers(response) -> None:
    response["Cache-Control"] = WIDGET_SCRIPT_CACHE_CONTROL
    # The same bytes for every page: "*" (never an echoed origin) keeps one shared cache entry,
    # so no "Vary: Origin"; no credentials are involved.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["X-Content-Type-Options"] = "nosniff"


@require_GET
def widget_script_view(request):
    """`/static/widgets/signup.v1.js` when the app serves it (gunicorn, tests); nginx serves
    the same file with the same headers in production (see the README, "Customer acquisition")."""
    content, etag = _widget_script()
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    widget_script_headers(response)
    return response
