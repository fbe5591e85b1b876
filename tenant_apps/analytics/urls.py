from django.urls import path

from . import apis, views

urlpatterns = [
    path("api/analytics/events", apis.EventsIngestApi.as_view(), name="analytics-events"),
    # The same with a trailing slash, never a redirect (a redirected POST loses its body).
    path("api/analytics/events/", apis.EventsIngestSlashApi.as_view()),
    path(
        "api/analytics/tokens",
        apis.IngestionTokenListCreateApi.as_view(),
        name="analytics-token-list",
    ),
    path(
        "api/analytics/tokens/<int:token_id>",
        apis.IngestionTokenDeleteApi.as_view(),
        name="analytics-token-delete",
    ),
    path("api/analytics/summary", apis.SummaryApi.as_view(), name="analytics-summary"),
    path("api/analytics/timeseries", apis.TimeseriesApi.as_view(), name="analytics-timeseries"),
    path("api/analytics/agents", apis.AgentsApi.as_view(), name="analytics-agents"),
    path("api/analytics/channels", apis.ChannelsApi.as_view(), name="analytics-channels"),
    path("dashboard/analytics/", views.analytics_dashboard_view, name="analytics-dashboard"),
]
