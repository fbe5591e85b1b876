"""Stock of tracked products (`Product.stock`; null = not tracked).

* `stock_check_cart(product=, quantity=)`: a cart may not hold more than is left (409
  `insufficient_stock` with `details.available`); nothing is reserved by a cart.
* `stock_take(quantities=)`: inside the order's transaction, locks the products' rows
  (SELECT ... FOR UPDATE, by id so two orders always lock in the same order and never
  deadlock), refuses with every short line named, else takes the units. Racing buyers wait
  on the lock and then see what is left, so stock never goes below zero.
* `stock_return(order=)`: a cancelled order puts its units back (same locking).
"""

from django.db.models import F

from tenant_apps.catalog.models import Product
from tenant_apps.catalog.services import catalogue_changed

from .errors import OrdersError, OrdersErrorCode
from .models import Order


def stock_check_cart(*, product: Product, quantity: int) -> None:
    if product.stock is not None and quantity > product.stock:
        raise OrdersError(
            f"Only {product.stock} of {product.name} left in stock.",
            code=OrdersErrorCode.INSUFFICIENT_STOCK,
            details={"product_id": product.pk, "requested": quantity, "available": product.stock},
        )


def _locked(product_ids) -> dict[int, Product]:
    # Stock moves under these locks: once the order's transaction commits, the storefront's
    # cached catalogue shows it (a refused order rolls back and bumps nothing).
    catalogue_changed()
    rows = Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk")
    return {product.pk: product for product in rows}


def stock_take(*, quantities: dict[int, int]) -> dict[int, Product]:
    """Take `quantities` ({product_id: units}) from tracked products; call inside the order's
    transaction. Returns the locked products (read under the lock, before the take)."""
    products = _locked(quantities)
    short = [
        {"product_id": product_id, "requested": wanted, "available": products[product_id].stock}
        for product_id, wanted in sorted(quantities.items())
        if product_id in products
        and products[product_id].stock is not None
        and wanted > products[product_id].stock
    ]
    if short:
        raise OrdersError(
            "Some products in the cart do not have enough stock left.",
            code=OrdersErrorCode.INSUFFICIENT_STOCK,
            details={"lines": short},
        )
    for product_id, wanted in sorted(quantities.items()):
        product = products.get(product_id)
        if product is not None and product.stock is not None:
            Product.objects.filter(pk=product_id).update(stock=F("stock") - wanted)
    return products


def stock_return(*, order: Order) -> None:
    """Put the order's units back on the products that still track stock."""
    quantities: dict[int, int] = {}
    for line in order.lines.all():
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    products = _locked(quantities)
    for product_id, units in sorted(quantities.items()):
        if product_id in products and products[product_id].stock is not None:
            Product.objects.filter(pk=product_id).update(stock=F("stock") + units)
