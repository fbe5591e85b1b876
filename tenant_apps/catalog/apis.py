from decimal import Decimal

from django.http import HttpResponse, HttpResponseNotModified
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.fields import QueryBooleanField
from saas.api.pagination import StandardPagination
from saas.api.parsers import StrictJSONParser
from saas.api.permissions import IsStoreHost

from .cache import etag_matches, rendered
from .images import image_absolute_url, image_base_url
from .selectors import (
    STOREFRONT_CATEGORY_PAGE,
    STOREFRONT_FIRST_PRODUCTS,
    category_list,
    product_get,
    product_list,
    storefront_catalog_rows,
    storefront_category,
    storefront_category_row,
    storefront_front_rows,
)
from .services import product_create, product_delete, product_update

PRICE_FIELD = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0.01")}
# A whole number of units (PostgreSQL integer), or null for "not tracked".
STOCK_FIELD = {"min_value": 0, "max_value": 2_147_483_647, "allow_null": True}


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProductOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    mrp = serializers.DecimalField(max_digits=10, decimal_places=2)
    sale_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    image = serializers.SerializerMethodField()
    category = CategoryRefSerializer()
    is_active = serializers.BooleanField()
    # Units left; null when the store does not track this product's stock.
    stock = serializers.IntegerField(allow_null=True)
    in_stock = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_image(self, product) -> str | None:
        return image_absolute_url(self.context["request"], product.image.name)

    def get_in_stock(self, product) -> bool:
        return product.stock is None or product.stock > 0


def _product_data(request, product) -> dict:
    return ProductOutputSerializer(product, context={"request": request}).data


class ProductListCreateApi(APIView):
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]
    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        description = serializers.CharField(
            max_length=5000, required=False, allow_blank=True, default=""
        )
        mrp = serializers.DecimalField(**PRICE_FIELD)
        sale_price = serializers.DecimalField(**PRICE_FIELD)
        category = serializers.CharField(max_length=80)
        image = serializers.FileField(required=False, allow_null=True, allow_empty_file=False)
        is_active = serializers.BooleanField(required=False, default=True)
        stock = serializers.IntegerField(**STOCK_FIELD, required=False, default=None)

    class FilterSerializer(serializers.Serializer):
        category = serializers.IntegerField(required=False, min_value=1)
        # true or false; absent (or empty) lists both.
        is_active = QueryBooleanField()
        search = serializers.CharField(required=False, max_length=100, default="")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "category", {"type": "integer", "minimum": 1}, description="category id"
            ),
            OpenApiParameter("is_active", bool),
            OpenApiParameter("search", str, description="part of the name"),
        ],
        responses={200: ProductOutputSerializer(many=True)},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        products = product_list(
            category_id=filters.validated_data.get("category"),
            is_active=filters.validated_data["is_active"],
            search=filters.validated_data["search"],
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(products, request, view=self)
        return paginator.get_paginated_response(
            [_product_data(request, product) for product in page]
        )

    # JSON, or a multipart form when the product comes with its picture.
    @extend_schema(
        request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
        responses={201: ProductOutputSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = product_create(**data.validated_data)
        return Response(_product_data(request, product), status=status.HTTP_201_CREATED)


class ProductDetailApi(APIView):
    patch_is_partial = True  # PATCH changes only the fields it names
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200, required=False)
        description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
        mrp = serializers.DecimalField(**PRICE_FIELD, required=False)
        sale_price = serializers.DecimalField(**PRICE_FIELD, required=False)
        category = serializers.CharField(max_length=80, required=False)
        # A new file replaces the picture; null removes it.
        image = serializers.FileField(required=False, allow_null=True, allow_empty_file=False)
        is_active = serializers.BooleanField(required=False)
        # A number of units, or null to stop tracking the stock.
        stock = serializers.IntegerField(**STOCK_FIELD, required=False)

    @extend_schema(responses={200: ProductOutputSerializer})
    def get(self, request, product_id: int):
        return Response(_product_data(request, product_get(product_id=product_id)))

    @extend_schema(
        request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
        responses={200: ProductOutputSerializer},
    )
    def patch(self, request, product_id: int):
        product = product_get(product_id=product_id)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = product_update(product=product, **data.validated_data)
        return Response(_product_data(request, product_get(product_id=product.pk)))

    @extend_schema(
        responses={
            204: None,
            200: inline_serializer(
                "ProductArchived",
                {
                    "id": serializers.IntegerField(),
                    "status": serializers.CharField(),
                    "is_active": serializers.BooleanField(),
                },
            ),
        },
        description="Deletes the product; a product that was ordered is archived instead (200).",
    )
    def delete(self, request, product_id: int):
        product = product_get(product_id=product_id)
        if product_delete(product=product):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"id": product.pk, "status": "archived", "is_active": False})


class CategoryListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        product_count = serializers.IntegerField(help_text="active products")
        archived_count = serializers.IntegerField()

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request):
        return Response(self.OutputSerializer(category_list(), many=True).data)


class StorefrontApi(APIView):
    """The store as buyers see it; open to anyone on the store's host."""

    authentication_classes: list = []
    permission_classes = [IsStoreHost]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        address = serializers.CharField()
        link = serializers.CharField()

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request):
        return Response(self.OutputSerializer(request.tenant).data)


class StorefrontProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    mrp = serializers.DecimalField(max_digits=10, decimal_places=2)
    sale_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    image = serializers.URLField(allow_null=True)
    stock = serializers.IntegerField(allow_null=True)
    in_stock = serializers.BooleanField()


class StorefrontCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    product_count = serializers.IntegerField()
    products = StorefrontProductSerializer(many=True)


def _cached_json(request, *, name: str, variant: tuple, data) -> HttpResponse:
    """A buyer answer from the storefront cache (tenant_apps/catalog/cache.py): `data()` builds
    it on a miss; 304 without a body when If-None-Match names the answer's ETag."""
    answer = rendered(name=name, variant=variant, render=lambda: JSONRenderer().render(data()))
    if etag_matches(request, answer.etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(answer.body, content_type="application/json")
    response["ETag"] = answer.etag
    response["Cache-Control"] = "no-cache"
    return response


class StorefrontCatalogApi(APIView):
    """Categories with all their active products, for buyers; open to anyone on the store host."""

    authentication_classes: list = []
    permission_classes = [IsStoreHost]

    class OutputSerializer(serializers.Serializer):
        categories = StorefrontCategorySerializer(many=True)

    @extend_schema(
        responses={200: OutputSerializer, 304: None},
        description="The whole catalogue. Answers carry an ETag; If-None-Match with it is 304.",
    )
    def get(self, request):
        base_url = image_base_url(request)
        return _cached_json(
            request,
            name="catalog-json",
            variant=(base_url,),
            data=lambda: {"categories": storefront_catalog_rows(image_base_url=base_url)},
        )


class StorefrontFrontApi(APIView):
    """The shop's first page: every category (product_count counts them all) with its first
    products by name; the rest are on the category's pages."""

    authentication_classes: list = []
    permission_classes = [IsStoreHost]

    @extend_schema(
        responses={200: StorefrontCatalogApi.OutputSerializer, 304: None},
        description=f"Each category with its first {STOREFRONT_FIRST_PRODUCTS} products. "
        "Answers carry an ETag; If-None-Match with it is 304.",
    )
    def get(self, request):
        base_url = image_base_url(request)
        return _cached_json(
            request,
            name="front-json",
            variant=(base_url,),
            data=lambda: {
                "categories": storefront_front_rows(
                    image_base_url=base_url, first=STOREFRONT_FIRST_PRODUCTS
                )
            },
        )


class StorefrontCategoryApi(APIView):
    """One category with its active products by name, a page at a time."""

    authentication_classes: list = []
    permission_classes = [IsStoreHost]

    class FilterSerializer(serializers.Serializer):
        page = serializers.IntegerField(required=False, min_value=1, max_value=999_999, default=1)

    class OutputSerializer(StorefrontCategorySerializer):
        page = serializers.IntegerField()
        pages = serializers.IntegerField()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1, "maximum": 999_999}, description="from 1"
            )
        ],
        responses={200: OutputSerializer, 304: None},
        description=f"{STOREFRONT_CATEGORY_PAGE} products a page. Answers carry an ETag; "
        "If-None-Match with it is 304.",
    )
    def get(self, request, category_id: int):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page, base_url = filters.validated_data["page"], image_base_url(request)

        def data() -> dict:
            found = storefront_category(
                category_id=category_id, page=page, per_page=STOREFRONT_CATEGORY_PAGE
            )
            row = storefront_category_row(found.category, image_base_url=base_url)
            return {**row, "page": found.page, "pages": found.pages}

        return _cached_json(
            request, name="category-json", variant=(category_id, page, base_url), data=data
        )
