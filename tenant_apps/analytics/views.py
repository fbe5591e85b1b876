"""The dashboard's first address: it lives in the seller console now (console_views.py)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from saas.access.views import store_member_required


@require_GET
@store_member_required
def analytics_dashboard_view(request):
    """/dashboard/analytics/?… → /console/analytics/?… (links and bookmarks keep working);
    members only, like the page itself, so it tells a stranger nothing."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("console-analytics") + (f"?{query}" if query else ""), permanent=True)
