"""The analytics dashboard page; its numbers come from the read APIs (static/analytics)."""

import zoneinfo

from django.shortcuts import render
from django.views.decorators.http import require_GET

from saas.access.views import store_member_required

# The zones offered first in the picker; any IANA name can still be chosen.
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
COMMON_TIMEZONES = ("UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Europe/London")


@require_GET
@store_member_required
def analytics_dashboard_view(request):
    store_timezone = request.tenant.timezone
    others = sorted(zoneinfo.available_timezones() - {store_timezone, *COMMON_TIMEZONES})
    timezones = [store_timezone, *(z for z in COMMON_TIMEZONES if z != store_timezone), *others]
    return render(
        request,
        "analytics/dashboard.html",
        {"store_timezone": store_timezone, "timezones": timezones, "kpis": KPIS, "live": LIVE},
    )
