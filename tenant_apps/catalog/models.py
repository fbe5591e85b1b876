import uuid

from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Lower


def product_image_path(product: "Product", filename: str) -> str:
    """Uploads live under MEDIA_ROOT/<store schema>/products/, one folder per store.

    The name is random (the buyer-facing URL reveals nothing) and the extension comes from the
    decoded format, never from what the uploader called the file.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"{connection.schema_name}/products/{uuid.uuid4().hex}.{extension}"


class Category(models.Model):
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            # "Shoes" and "shoes" are one category.
            models.UniqueConstraint(Lower("name"), name="catalog_category_unique_name"),
        ]

    def __str__(self):
        return self.name


class Product(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    mrp = models.DecimalField(max_digits=10, decimal_places=2)
    sale_price = models.DecimalField(max_digits=10, decimal_places=2)
    image = models.ImageField(upload_to=product_image_path, blank=True, max_length=255)
    # Archived products (is_active=False) stay for the orders that name them, hidden from buyers.
    is_active = models.BooleanField(default=True)
    # Units left to sell; null means the store does not track this product's stock.
    # Taken under a row lock when an order is placed (tenant_apps/orders/stock.py).
    stock = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["category", "is_active"], name="catalog_product_cat_active")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(mrp__gt=0), name="catalog_product_mrp_positive"),
            models.CheckConstraint(
                condition=Q(sale_price__gt=0), name="catalog_product_sale_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(sale_price__lte=F("mrp")), name="catalog_product_sale_price_le_mrp"
            ),
        ]

    def __str__(self):
        return self.name
