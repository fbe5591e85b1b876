from django.urls import path, re_path

from . import apis, views

urlpatterns = [
    path("api/widget/sites", apis.WidgetSiteListCreateApi.as_view(), name="widget-site-list"),
    path(
        "api/widget/sites/<int:site_id>",
        apis.WidgetSiteUpdateApi.as_view(),
        name="widget-site-update",
    ),
    path(
        "api/widget/sites/<int:site_id>/rotate-key",
        apis.WidgetSiteKeyRotateApi.as_view(),
        name="widget-site-rotate-key",
    ),
    # With or without the trailing slash, never a redirect (a redirected POST loses its body).
    re_path(r"^api/widget/signups/?$", apis.WidgetSignupCreateApi.as_view(), name="widget-signup"),
    path("api/signups", apis.SignupListApi.as_view(), name="signup-list"),
    path("api/signups/stats", apis.SignupStatsApi.as_view(), name="signup-stats"),
    path("dashboard/signups/", views.signup_dashboard_view, name="signup-dashboard"),
    path("dashboard/signups/export.csv", views.signup_export_csv_view, name="signup-export"),
    path("static/widgets/signup.v1.js", views.widget_script_view, name="widget-script"),
]
