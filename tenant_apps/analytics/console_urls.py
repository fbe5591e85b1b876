"""The analytics tool's console pages, mounted at /console/ on store hosts."""

from django.urls import path

from . import console_views as views

urlpatterns = [
    path("analytics/", views.dashboard_view, name="console-analytics"),
    # Under Settings (saas.tools console_settings): the store's ingestion tokens, for owners.
    path("settings/ingestion-tokens/", views.tokens_view, name="console-analytics-tokens"),
    path(
        "settings/ingestion-tokens/<int:token_id>/revoke",
        views.token_revoke_view,
        name="console-analytics-token-revoke",
    ),
]
