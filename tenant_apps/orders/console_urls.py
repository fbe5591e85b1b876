"""The orders tool's console pages, mounted at /console/ (patterns start with orders/...)."""

from django.urls import include, path

from . import console_views

urlpatterns = [
    path("orders/", console_views.orders_view, name="console-orders"),
    path("orders/<int:order_id>/", console_views.order_view, name="console-order"),
    path(
        "orders/<int:order_id>/status", console_views.order_status_view, name="console-order-status"
    ),
    path(
        "orders/<int:order_id>/payment",
        console_views.order_payment_view,
        name="console-order-payment",
    ),
    path("customers/", console_views.customers_view, name="console-customers"),
    path("customers/<int:customer_id>/", console_views.customer_view, name="console-customer"),
    # Discount codes, inside Orders (console_discounts.py).
    path("", include("tenant_apps.orders.console_discount_urls")),
    # Abandoned carts, inside Orders (console_abandoned.py).
    path("", include("tenant_apps.orders.console_abandoned_urls")),
]
