from decimal import Decimal

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

# Re-exported: other tools whose writes move what buyers see (stock) call it from here.
from .cache import catalogue_changed
from .errors import CatalogError, CatalogErrorCode
from .images import image_validate
from .models import Category, Product

_UNSET = object()
STOCK_MAX = 2_147_483_647  # PostgreSQL integer


def category_get_or_create(*, name: str) -> Category:
    """The store's category of that name (case-insensitive), created when missing."""
    name = " ".join(name.split())
    if not name:
        raise CatalogError("A category needs a name.", code=CatalogErrorCode.INVALID_CATEGORY)
    existing = Category.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Category.objects.create(name=name)
    except IntegrityError:
        # Created by a concurrent request between our read and insert.
        return Category.objects.get(name__iexact=name)


def _prices_check(*, mrp: Decimal, sale_price: Decimal) -> None:
    if mrp <= 0 or sale_price <= 0:
        raise CatalogError("Prices must be greater than zero.", code=CatalogErrorCode.INVALID_PRICE)
    if sale_price > mrp:
        raise CatalogError(
            "The sale price cannot be above the MRP.",
            code=CatalogErrorCode.SALE_PRICE_ABOVE_MRP,
            details={"mrp": str(mrp), "sale_price": str(sale_price)},
        )


def _stock_check(stock: int | None) -> None:
    if stock is not None and (isinstance(stock, bool) or not 0 <= stock <= STOCK_MAX):
        raise CatalogError(
            f"The stock is a whole number from 0 to {STOCK_MAX}, or empty when not tracked.",
            code=CatalogErrorCode.INVALID_STOCK,
        )


def _image_attach(*, product: Product, image: UploadedFile) -> None:
    extension = image_validate(image)
    # The stored name carries the decoded format's extension, not the uploader's.
    product.image.save(f"product.{extension}", image, save=False)


def _image_file_delete_on_commit(name: str) -> None:
    if not name:
        return
    transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def product_create(
    *,
    name: str,
    category: str,
    mrp: Decimal,
    sale_price: Decimal,
    description: str = "",
    image: UploadedFile | None = None,
    is_active: bool = True,
    stock: int | None = None,
) -> Product:
    _prices_check(mrp=mrp, sale_price=sale_price)
    _stock_check(stock)
    product = Product(
        name=name.strip(),
        description=description,
        mrp=mrp,
        sale_price=sale_price,
        is_active=is_active,
        stock=stock,
        category=category_get_or_create(name=category),
    )
    if image is not None:
        _image_attach(product=product, image=image)
    product.save()
    catalogue_changed()
    return product


@transaction.atomic
def product_update(
    *,
    product: Product,
    name=_UNSET,
    description=_UNSET,
    category=_UNSET,
    mrp=_UNSET,
    sale_price=_UNSET,
    is_active=_UNSET,
    image=_UNSET,
    stock=_UNSET,
) -> Product:
    """Change the given fields; `image=None` removes the picture, `stock=None` stops
    tracking the stock."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if name is not _UNSET:
        product.name = name.strip()
    if description is not _UNSET:
        product.description = description
    if category is not _UNSET:
        product.category = category_get_or_create(name=category)
    if mrp is not _UNSET:
        product.mrp = mrp
    if sale_price is not _UNSET:
        product.sale_price = sale_price
    if is_active is not _UNSET:
        product.is_active = is_active
    if stock is not _UNSET:
        _stock_check(stock)
        product.stock = stock
    _prices_check(mrp=product.mrp, sale_price=product.sale_price)
    if image is not _UNSET:
        old_name = product.image.name
        if image is None:
            product.image = ""
        else:
            _image_attach(product=product, image=image)
        _image_file_delete_on_commit(old_name)
    product.save()
    catalogue_changed()
    return product


def product_delete(*, product: Product) -> bool:
    """Delete the product, or archive it when orders name it. True when it was deleted."""
    try:
        with transaction.atomic():
            image_name = product.image.name
            Product.objects.filter(pk=product.pk).delete()
            _image_file_delete_on_commit(image_name)
            catalogue_changed()
            return True
    except ProtectedError:
        Product.objects.filter(pk=product.pk).update(is_active=False)
        catalogue_changed()
        product.is_active = False
        return False
