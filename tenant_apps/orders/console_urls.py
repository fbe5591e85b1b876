"""The orders tool's console pages, mounted at /console/ (patterns start with orders/...)."""

from django.urls import include, path

urlpatterns = [
    # Discount codes, inside Orders (console_discounts.py).
    path("", include("tenant_apps.orders.console_discount_urls")),
]
