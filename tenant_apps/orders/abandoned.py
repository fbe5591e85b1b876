"""Abandoned carts: carts with lines that never became an order and have been idle longer than
`ABANDONED_CART_IDLE_MINUTES` (default 60), the most recently active first.

"Idle" is measured from `Cart.last_activity_at`, which every look at or change of the cart
bumps (setting a line, the discount code, reading it at most once a minute). A cart's money is
priced exactly as the buyer's cart answer prices it: `checkout.cart_discount_applicable` and
`checkout.store_totals` with the store's settings of the moment.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .checkout import cart_discount_applicable, store_totals
from .models import Cart, CartLine
from .pricing import Totals


def abandoned_idle_minutes() -> int:
    return settings.ABANDONED_CART_IDLE_MINUTES


@dataclass(frozen=True)
class AbandonedLine:
    product_id: int
    name: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal


@dataclass(frozen=True)
class AbandonedCart:
    id: int
    created_at: datetime
    last_activity_at: datetime
    # The signed-in buyer's mobile when the cart knows its buyer; carts do not record one yet
    # (they are anonymous until the order), so this is None for now.
    customer_mobile: str | None
    lines: list[AbandonedLine]
    item_count: int
    totals: Totals
    discount_code: str


def abandoned_cart_list(*, now: datetime | None = None) -> QuerySet[Cart]:
    """Open carts holding at least one line, idle for longer than the setting, newest
    activity first (the lines and the code come with them, for `abandoned_cart_summaries`)."""
    idle_since = (now or timezone.now()) - timedelta(minutes=abandoned_idle_minutes())
    has_lines = Exists(CartLine.objects.filter(cart=OuterRef("pk")))
    return (
        Cart.objects.filter(has_lines, status=Cart.Status.OPEN, last_activity_at__lt=idle_since)
        # A cart whose order exists is not abandoned, whatever its status says.
        .filter(order__isnull=True)
        .select_related("discount", "customer")
        .prefetch_related("lines")
        .order_by("-last_activity_at", "-id")
    )


def _summary(cart: Cart) -> AbandonedCart:
    lines = [
        AbandonedLine(
            product_id=line.product_id,
            name=line.name,
            unit_price=line.unit_price,
            quantity=line.quantity,
            line_total=line.unit_price * line.quantity,
        )
        for line in cart.lines.all()  # prefetched, in the lines' own order (by id)
    ]
    line_totals = [line.line_total for line in lines]
    discount, _ = cart_discount_applicable(cart, sum(line_totals, start=Decimal("0.00")))
    return AbandonedCart(
        id=cart.pk,
        created_at=cart.created_at,
        last_activity_at=cart.last_activity_at,
        customer_mobile=cart.customer.mobile if cart.customer_id else None,
        lines=lines,
        item_count=sum(line.quantity for line in lines),
        totals=store_totals(line_totals, discount),
        discount_code=cart.discount.code if cart.discount_id is not None else "",
    )


def abandoned_cart_summaries(carts) -> list[AbandonedCart]:
    """One page of `abandoned_cart_list`, priced."""
    return [_summary(cart) for cart in carts]
