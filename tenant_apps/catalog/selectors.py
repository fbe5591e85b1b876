from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

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


# The shop's first page shows each category's first products (one row at 1280 px, two on a
# phone) and links to the category's own page, STOREFRONT_CATEGORY_PAGE products a page.
STOREFRONT_FIRST_PRODUCTS = 4
STOREFRONT_CATEGORY_PAGE = 48

STOREFRONT_PRODUCT_FIELDS = (
    "id", "category_id", "name", "description", "mrp", "sale_price", "image", "stock",
)  # fmt: skip


def _storefront_categories() -> list[CatalogCategory]:
    """Categories with active products, most products first, then by name."""
    return [
        CatalogCategory(id=row["id"], name=row["name"], product_count=row["product_count"])
        for row in Category.objects.annotate(
            product_count=Count("products", filter=Q(products__is_active=True))
        )
        .filter(product_count__gt=0)
        .order_by("-product_count", "name", "id")
        .values("id", "name", "product_count")
    ]


def _grouped(categories: list[CatalogCategory], products) -> list[CatalogCategory]:
    by_id = {category.id: category for category in categories}
    for product in products:
        category = by_id.get(product["category_id"])
        if category is not None:
            category.products.append(product)
    return categories


def storefront_catalog() -> list[CatalogCategory]:
    """What buyers see: categories with active products, most products first, then by name.

    Two queries whatever the catalogue's size: the categories with their counts, then all
    active products in one go (values(), because building 5,000 model instances costs more
    than the SQL).
    """
    products = (
        Product.objects.filter(is_active=True)
        .order_by("name", "id")
        .values(*STOREFRONT_PRODUCT_FIELDS)
    )
    return _grouped(_storefront_categories(), products)


def storefront_front(*, first: int) -> list[CatalogCategory]:
    """The shop's first page: every category as in `storefront_catalog`, each with only its
    `first` products by name (its count still counts them all). Two queries; the products are
    ranked per category in PostgreSQL, so only the shown rows leave the database."""
    ranked = (
        Product.objects.filter(is_active=True)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("category_id")], order_by=[F("name"), F("id")])
        )
        .filter(rank__lte=first)
        .order_by("name", "id")
        .values(*STOREFRONT_PRODUCT_FIELDS)
    )
    return _grouped(_storefront_categories(), ranked)


@dataclass
class CategoryPage:
    category: CatalogCategory
    page: int
    pages: int


def storefront_category(*, category_id: int, page: int, per_page: int) -> CategoryPage:
    """One category's active products by name, `per_page` a page (from 1). Unknown categories,
    those with no active product (buyers never see them) and pages past the last are 404."""
    row = (
        Category.objects.filter(pk=category_id)
        .annotate(product_count=Count("products", filter=Q(products__is_active=True)))
        .filter(product_count__gt=0)
        .values("id", "name", "product_count")
        .first()
    )
    if row is None:
        raise CatalogError(
            "No such category in this store.", code=CatalogErrorCode.CATEGORY_NOT_FOUND
        )
    category = CatalogCategory(**row)
    pages = -(-category.product_count // per_page)
    if not 1 <= page <= pages:
        raise CatalogError(
            f"No such page: this category has {pages}.",
            code=CatalogErrorCode.PAGE_NOT_FOUND,
            details={"pages": pages},
        )
    start = (page - 1) * per_page
    category.products = list(
        Product.objects.filter(category_id=category_id, is_active=True)
        .order_by("name", "id")
        .values(*STOREFRONT_PRODUCT_FIELDS)[start : start + per_page]
    )
    return CategoryPage(category=category, page=page, pages=pages)


def storefront_product_row(product: dict, *, image_base_url: str) -> dict:
    """A product as buyers get it; images as absolute URLs under `image_base_url`."""
    return {
        "id": product["id"],
        "name": product["name"],
        "description": product["description"],
        "mrp": str(product["mrp"]),
        "sale_price": str(product["sale_price"]),
        "image": image_base_url + product["image"] if product["image"] else None,
        "stock": product["stock"],
        "in_stock": product["stock"] is None or product["stock"] > 0,
    }


def storefront_category_row(category: CatalogCategory, *, image_base_url: str) -> dict:
    return {
        "id": category.id,
        "name": category.name,
        "product_count": category.product_count,
        "products": [
            storefront_product_row(product, image_base_url=image_base_url)
            for product in category.products
        ],
    }


def storefront_catalog_rows(*, image_base_url: str) -> list[dict]:
    """The storefront catalogue as plain rows, images as absolute URLs under `image_base_url`.

    Built by hand rather than through a serializer: the catalogue can hold thousands of
    products and per-field serializer calls would dominate the response time.
    """
    return [
        storefront_category_row(category, image_base_url=image_base_url)
        for category in storefront_catalog()
    ]


def storefront_front_rows(*, image_base_url: str, first: int) -> list[dict]:
    """`storefront_front` as plain rows, in the shape of `storefront_catalog_rows`."""
    return [
        storefront_category_row(category, image_base_url=image_base_url)
        for category in storefront_front(first=first)
    ]


def product_any_exists() -> bool:
    """Whether the store has a product yet (the Overview's first checklist step)."""
    return Product.objects.exists()
