"""The abandoned carts page, inside the Orders section; included by the orders console URLconf."""

from django.urls import path

from . import console_abandoned as views

urlpatterns = [
    path("orders/abandoned/", views.abandoned_cart_list_view, name="console-abandoned-carts"),
]
