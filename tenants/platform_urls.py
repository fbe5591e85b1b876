"""Stores pages of the platform host (mounted at / in saas/urls_public.py)."""

from django.urls import path

from . import platform_views

urlpatterns = [
    path("start/next", platform_views.continue_view, name="platform-continue"),
    path("stores", platform_views.stores_view, name="platform-stores"),
    path("stores/new", platform_views.StoreCreateView.as_view(), name="platform-store-create"),
    path("stores/<int:store_id>/open", platform_views.store_open_view, name="platform-store-open"),
]
