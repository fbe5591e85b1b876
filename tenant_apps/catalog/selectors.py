from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .errors import CatalogError, CatalogErrorCode
from .models import Category, Product


def product_list(
    *, category_id: int | None = None, is_active: bool | None = None, search: str = ""
) -> QuerySet[Product]:
    products = Product.objects.select_related("category").order_by("-created_at", "-id")
    if category_id is not None:
        products = products.filter(category_id=category_id)
    if is_active is not None:
        products = products.filter(is_active=is_active)
    if search:
        products = products.filter(name__icontains=search)
    return products


def product_get(*, product_id: int) -> Product:
    product = Product.objects.select_related("category").filter(pk=product_id).first()
    if product is None:
        raise CatalogError(
            "No such product in this store.", code=CatalogErrorCode.PRODUCT_NOT_FOUND
        )
    return product


def category_list() -> QuerySet[Category]:
    """Every category with its counts of active and archived products, biggest first."""
    return Category.objects.annotate(
        product_count=Count("products", filter=Q(products__is_active=True)),
        archived_count=Count("products", filter=Q(products__is_active=False)),
    ).order_by("-product_count", "name", "id")


@dataclass
class CatalogCategory:
    id: int
    name: str
    product_count: int
    products: list[dict] = field(default_factory=list)


def storefront_catalog() -> list[CatalogCategory]:
    """What buyers see: categories with active products, most products first, then by name.

    Two queries whatever the catalogue's size: the categories with their counts, then all
    active products in one go (values(), because building 5,000 model instances costs more
    than the SQL).
    """
    categories = [
        CatalogCategory(id=row["id"], name=row["name"], product_count=row["product_count"])
        for row in Category.objects.annotate(
            product_count=Count("products", filter=Q(products__is_active=True))
        )
        .filter(product_count__gt=0)
        .order_by("-product_count", "name", "id")
        .values("id", "name", "product_count")
    ]
    by_id = {category.id: category for category in categories}
    products = (
        Product.objects.filter(is_active=True)
        .order_by("name", "id")
        .values("id", "category_id", "name", "description", "mrp", "sale_price", "image", "stock")
    )
    for product in products:
        category = by_id.get(product["category_id"])
        if category is not None:
            category.products.append(product)
    return categories


def storefront_catalog_rows(*, image_base_url: str) -> list[dict]:
    """The storefront catalogue as plain rows, images as absolute URLs under `image_base_url`.

    Built by hand rather than through a serializer: the catalogue can hold thousands of
    products and per-field serializer calls would dominate the response time.
    """
    return [
        {
            "id": category.id,
            "name": category.name,
            "product_count": category.product_count,
            "products": [
                {
                    "id": product["id"],
                    "name": product["name"],
                    "description": product["description"],
                    "mrp": str(product["mrp"]),
                    "sale_price": str(product["sale_price"]),
                    "image": image_base_url + product["image"] if product["image"] else None,
                    "stock": product["stock"],
                    "in_stock": product["stock"] is None or product["stock"] > 0,
                }
                for product in category.products
            ],
        }
        for category in storefront_catalog()
    ]


def product_any_exists() -> bool:
    """Whether the store has a product yet (the Overview's first checklist step)."""
    return Product.objects.exists()
