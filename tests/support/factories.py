"""Builders for catalogue and order tests (run the model ones inside a store: `in_store`)."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from saas.api.authentication import seller_token_pair
from tenant_apps.catalog.models import Category, Product
from tenant_apps.orders.authentication import customer_token_pair
from tenant_apps.orders.models import Customer
from tests.support.stores import api_client, in_store, store_host


def image_bytes(image_format: str = "PNG", size=(8, 6), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(name: str = "photo.png", image_format: str = "PNG", **kwargs):
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(
        image_format, "application/octet-stream"
    )
    return SimpleUploadedFile(name, image_bytes(image_format, **kwargs), content_type=content_type)


def category_make(name: str) -> Category:
    return Category.objects.get_or_create(name=name)[0]


def product_make(
    name: str = "Tea",
    *,
    category: str = "Drinks",
    mrp: str = "120.00",
    sale_price: str = "100.00",
    is_active: bool = True,
    description: str = "",
    image: str = "",
) -> Product:
    return Product.objects.create(
        name=name,
        category=category_make(category),
        mrp=Decimal(mrp),
        sale_price=Decimal(sale_price),
        is_active=is_active,
        description=description,
        image=image,
    )


def buyer_client(store, mobile: str = "+919811111111"):
    """A client on `store`'s host carrying a buyer token of that store; returns (client, id)."""
    with in_store(store):
        customer, _ = Customer.objects.get_or_create(mobile=mobile)
        tokens = customer_token_pair(customer=customer, schema_name=store.schema_name)
    return api_client(store_host(store), jwt=tokens["access"]), customer.pk


def seller_client(store, seller):
    return api_client(store_host(store), jwt=seller_token_pair(seller)["access"])
