"""Routes every host answers: health, login, API schema and docs."""

from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from saas.api.views import healthz_view
from shared_apps.accounts.views import LoginView, logout_view


def common_urlpatterns(urlconf: str) -> list:
    patterns = [
        path("healthz", healthz_view, name="healthz"),
        path("login", LoginView.as_view(), name="login"),
        path("logout", logout_view, name="logout"),
        # The schema describes the routes of the host it is asked on.
        path("api/schema/", SpectacularAPIView.as_view(urlconf=urlconf), name="schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    ]
    if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
        # Development only; in production nginx serves the uploads volume.
        patterns.append(
            re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
        )
    return patterns
