"""The Signups section of the console, mounted at /console/."""

from django.urls import path

from . import console_views, views

urlpatterns = [
    path("signups/", console_views.signups_view, name="console-signups"),
    path("signups/export.csv", views.signup_export_csv_view, name="console-signups-export"),
    path("signups/sites/", console_views.sites_view, name="console-signup-sites"),
    path("signups/sites/<int:site_id>/", console_views.site_view, name="console-signup-site"),
    path(
        "signups/sites/<int:site_id>/switch",
        console_views.site_switch_view,
        name="console-signup-site-switch",
    ),
    path(
        "signups/sites/<int:site_id>/rotate-key",
        console_views.site_rotate_key_view,
        name="console-signup-site-rotate",
    ),
    path(
        "signups/sites/<int:site_id>/refused/<int:refused_id>/allow",
        console_views.refused_origin_allow_view,
        name="console-signup-origin-allow",
    ),
    path(
        "signups/sites/<int:site_id>/preview",
        console_views.site_preview_view,
        name="console-signup-site-preview",
    ),
]
