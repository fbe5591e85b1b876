"""Discount code pages, inside the Orders section; included by the orders console URLconf."""

from django.urls import path

from . import console_discounts as views

urlpatterns = [
    path("orders/discounts/", views.discount_list_view, name="console-discounts"),
    path("orders/discounts/new", views.discount_new_view, name="console-discount-new"),
    path("orders/discounts/<int:discount_id>/", views.discount_edit_view, name="console-discount"),
    path(
        "orders/discounts/<int:discount_id>/deactivate",
        views.discount_deactivate_view,
        name="console-discount-deactivate",
    ),
]
