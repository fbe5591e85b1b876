"""The Products section of the console, mounted at /console/."""

from django.urls import path

from . import console_views

urlpatterns = [
    path("products/", console_views.products_view, name="console-products"),
    path("products/new", console_views.product_new_view, name="console-product-new"),
    path("products/categories", console_views.categories_view, name="console-categories"),
    path("products/<int:product_id>/", console_views.product_edit_view, name="console-product"),
    path(
        "products/<int:product_id>/archive",
        console_views.product_archive_view,
        name="console-product-archive",
    ),
]
