"""The console's Settings section (/console/settings/ on store hosts)."""

from django.urls import path

from . import console_views

urlpatterns = [
    path("", console_views.settings_view, name="console-settings"),
]
