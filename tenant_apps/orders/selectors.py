from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from saas.access.tokens import key_hash

from .errors import OrdersError, OrdersErrorCode
from .models import Cart, Customer, Order


def cart_get(*, token: str, for_update: bool = False) -> Cart:
    """The cart of this store with that token (looked up by its hash); another store's token
    is simply not found.

    `for_update` locks the row until the caller's transaction ends.
    """
    carts = Cart.objects.select_for_update() if for_update else Cart.objects.all()
    cart = carts.filter(token_hash=key_hash(token)).first() if token else None
    if cart is None:
        raise OrdersError("No such cart in this store.", code=OrdersErrorCode.CART_NOT_FOUND)
    cart.token = token
    return cart


def cart_lines(*, cart: Cart) -> list:
    return list(cart.lines.order_by("id"))


@dataclass(frozen=True)
class CartSummaryLine:
    product_id: int
    name: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal
    image: str  # the stored file's name; "" without a picture


@dataclass(frozen=True)
class CartSummary:
    token: str
    status: str
    lines: list[CartSummaryLine]
    item_count: int
    total: Decimal


def cart_summary(*, cart: Cart) -> CartSummary:
    """The cart's lines with their totals, computed from the stored lines (a client never
    sends a price or a total)."""
    lines = [
        CartSummaryLine(
            product_id=line.product_id,
            name=line.name,
            unit_price=line.unit_price,
            quantity=line.quantity,
            line_total=line.unit_price * line.quantity,
            image=line.image,
        )
        for line in cart_lines(cart=cart)
    ]
    return CartSummary(
        token=cart.token,
        status=cart.status,
        lines=lines,
        item_count=sum(line.quantity for line in lines),
        total=sum((line.line_total for line in lines), start=Decimal("0.00")),
    )


def order_list(*, status: str | None = None, customer: Customer | None = None) -> QuerySet[Order]:
    orders = Order.objects.select_related("customer").prefetch_related("lines")
    if status:
        orders = orders.filter(status=status)
    if customer is not None:
        orders = orders.filter(customer=customer)
    return orders.order_by("-created_at", "-id")


def order_get(*, order_id: int, customer: Customer | None = None) -> Order:
    orders = Order.objects.select_related("customer").prefetch_related("lines")
    if customer is not None:
        orders = orders.filter(customer=customer)
    order = orders.filter(pk=order_id).first()
    if order is None:
        raise OrdersError("No such order in this store.", code=OrdersErrorCode.ORDER_NOT_FOUND)
    return order


def order_find_for_replay(
    *, customer: Customer, idempotency_key: str = "", cart_token: str = ""
) -> Order | None:
    """The order this customer already made with that Idempotency-Key, else with that cart."""
    if idempotency_key:
        order = Order.objects.filter(customer=customer, idempotency_key=idempotency_key).first()
        if order is not None:
            return order
    if cart_token:
        return Order.objects.filter(
            customer=customer, cart__token_hash=key_hash(cart_token)
        ).first()
    return None
