"""The signup tool's routes on the platform host: the widget script every store embeds."""

from django.urls import path

from . import views

urlpatterns = [
    # One URL for every store, with its cross-origin caching headers.
    path("static/widgets/signup.v1.js", views.widget_script_view, name="widget-script"),
]
