from django.urls import path

from . import apis, views

urlpatterns = [
    path("", views.StorefrontView.as_view(), name="storefront"),
    path(
        "category/<int:category_id>",
        views.StorefrontCategoryView.as_view(),
        name="storefront-category",
    ),
    path("api/products", apis.ProductListCreateApi.as_view(), name="product-list"),
    path("api/products/<int:product_id>", apis.ProductDetailApi.as_view(), name="product-detail"),
    path("api/categories", apis.CategoryListApi.as_view(), name="category-list"),
    path("api/storefront", apis.StorefrontApi.as_view(), name="storefront-api"),
    path("api/storefront/catalog", apis.StorefrontCatalogApi.as_view(), name="storefront-catalog"),
    path("api/storefront/front", apis.StorefrontFrontApi.as_view(), name="storefront-front"),
    path(
        "api/storefront/categories/<int:category_id>",
        apis.StorefrontCategoryApi.as_view(),
        name="storefront-category-api",
    ),
]
