"""The analytics tool's console pages: the support dashboard (its numbers come from the read
APIs, drawn by static/analytics/dashboard.js) and, under Settings, the ingestion tokens."""

import zoneinfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saas.console.guards import console_page, owner_only
from tenants.console_forms import TokenNameForm, service_call
from tenants.console_nav import key_show_once, key_shown, settings_render

from .selectors import ingestion_token_list
from .services import ingestion_token_create, ingestion_token_delete

KPIS = (
    ("conversations_created", "Conversations", "count"),
    ("conversations_assigned", "Assigned", "count"),
    ("conversations_closed", "Resolved", "count"),
    ("conversations_reopened", "Reopened", "count"),
    ("agent_replies", "Agent replies", "count"),
    ("customer_replies", "Customer replies", "count"),
    ("avg_first_response_seconds", "First response", "duration"),
    ("avg_resolution_seconds", "Resolution time", "duration"),
    ("avg_reply_seconds", "Reply time", "duration"),
)
LIVE = (
    ("open_now", "Open now"),
    ("unassigned_now", "Unassigned now"),
    ("unattended_now", "Unattended now"),
)
# The zones offered first in the picker; any IANA name can still be chosen.
COMMON_TIMEZONES = ("UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Europe/London")


@console_page
@require_GET
def dashboard_view(request):
    store_timezone = request.tenant.timezone
    others = sorted(zoneinfo.available_timezones() - {store_timezone, *COMMON_TIMEZONES})
    timezones = [store_timezone, *(z for z in COMMON_TIMEZONES if z != store_timezone), *others]
    context = {"store_timezone": store_timezone, "timezones": timezones, "kpis": KPIS,
               "live": LIVE}  # fmt: skip
    return render(request, "console/analytics/dashboard.html", context)


@console_page
@require_http_methods(["GET", "POST"])
def tokens_view(request):
    """The same services as /api/analytics/tokens; the new key is shown once, after PRG."""
    owner_only(request)
    form = TokenNameForm()
    if request.method == "POST":
        form = TokenNameForm(request.POST)
        created = form.is_valid() and form.run(
            ingestion_token_create, name=form.cleaned_data["name"], created_by_id=request.user.pk
        )
        if created:
            token, key = created
            key_show_once(request, name=token.name, key=key)
            messages.success(request, f"Ingestion token “{token.name}” created.")
            return redirect("console-analytics-tokens")
    context = {
        "tokens": ingestion_token_list().order_by("-created_at", "-id"),
        "form": form,
        "new_key": key_shown(request),
    }
    status = 400 if form.is_bound else 200
    return settings_render(request, "console/analytics/ingestion_tokens.html", context, status)


@console_page
@require_POST
def token_revoke_view(request, token_id: int):
    owner_only(request)
    _, refused = service_call(ingestion_token_delete, token_id=token_id)
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, "Ingestion token revoked: events sent with it are refused.")
    return redirect("console-analytics-tokens")
