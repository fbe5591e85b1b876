"""The console's Settings section (/console/settings/ on store hosts); the tools add their
own settings pages under settings/ in their console_urls (saas.tools console_settings)."""

from django.urls import path

from . import console_views as views

urlpatterns = [
    path("", views.settings_view, name="console-settings"),
    path("selling", views.settings_selling_view, name="console-settings-selling"),
    path("team/", views.team_view, name="console-settings-team"),
    path("team/invite", views.team_invite_view, name="console-settings-team-invite"),
    path("team/<int:membership_id>/role", views.team_role_view, name="console-settings-team-role"),
    path(
        "team/<int:membership_id>/remove",
        views.team_remove_view,
        name="console-settings-team-remove",
    ),
    path("jobs/", views.jobs_view, name="console-settings-jobs"),
    path("jobs/<str:key>/", views.job_edit_view, name="console-settings-job"),
    path("api-tokens/", views.api_tokens_view, name="console-settings-api-tokens"),
    path(
        "api-tokens/<int:token_id>/revoke",
        views.api_token_revoke_view,
        name="console-settings-api-token-revoke",
    ),
]
