"""/console/ on every store host: the Overview, the hand-off, and each tool's console pages."""

from django.urls import include, path

from saas.tools import registered_tools

from . import views

urlpatterns = [
    path("", views.overview_view, name="console-overview"),
    path("handoff", views.handoff_view, name="console-handoff"),
    path("settings/", include("tenants.console_urls")),
    *(path("", include(tool.console_urls)) for tool in registered_tools() if tool.console_urls),
]
