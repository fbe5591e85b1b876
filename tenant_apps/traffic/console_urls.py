"""The Traffic console pages, mounted at /console/ on store hosts."""

from django.urls import path

from . import console_views as views

urlpatterns = [
    path("traffic/", views.traffic_view, name="console-traffic"),
    path("traffic/add", views.repository_add_view, name="console-traffic-add"),
    path("traffic/github-token", views.github_token_view, name="console-traffic-token"),
    path(
        "traffic/github-token/remove",
        views.github_token_clear_view,
        name="console-traffic-token-remove",
    ),
    path("traffic/share-links", views.share_link_create_view, name="console-traffic-share"),
    path(
        "traffic/share-links/<int:token_id>/revoke",
        views.share_link_revoke_view,
        name="console-traffic-share-revoke",
    ),
    path(
        "traffic/<uuid:repository_id>/",
        views.repository_detail_view,
        name="console-traffic-repository",
    ),
    path(
        "traffic/<uuid:repository_id>/refresh",
        views.repository_refresh_view,
        name="console-traffic-refresh",
    ),
    path(
        "traffic/<uuid:repository_id>/delete",
        views.repository_delete_view,
        name="console-traffic-delete",
    ),
]
