"""What a cart costs and how it is paid: the cart's discount code, its totals, the payment
method check and the seller's record of a payment.

Totals always come from `pricing.totals_compute` with the store's rules of the moment
(`connection.tenant`); the order keeps its own copy when it is placed.
"""

from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from .discounts import discount_check, discount_pricing
from .errors import OrdersError, OrdersErrorCode
from .models import Cart, DiscountCode, Order
from .payment import PAYMENT_METHODS
from .pricing import Totals, store_pricing_rules, totals_compute

# Allowed payment status changes: refunded only after paid.
PAYMENT_TRANSITIONS = {
    Order.PaymentStatus.PENDING: {Order.PaymentStatus.PAID},
    Order.PaymentStatus.PAID: {Order.PaymentStatus.REFUNDED},
    Order.PaymentStatus.REFUNDED: set(),
}


def store_totals(line_totals: list[Decimal], discount: DiscountCode | None) -> Totals:
    rules = store_pricing_rules(connection.tenant)
    pricing = None if discount is None else discount_pricing(discount)
    return totals_compute(line_totals, rules, pricing)


def cart_discount_set(*, cart: Cart, code: str, subtotal: Decimal) -> Cart:
    """Apply a code to the cart (400 with the reason when it does not apply)."""
    discount = discount_check(code=code, subtotal=subtotal)
    Cart.objects.filter(pk=cart.pk).update(discount=discount, last_activity_at=timezone.now())
    cart.discount = discount
    return cart


def cart_discount_remove(*, cart: Cart) -> Cart:
    Cart.objects.filter(pk=cart.pk).update(discount=None, last_activity_at=timezone.now())
    cart.discount = None
    return cart


def cart_open_check(cart: Cart) -> None:
    if cart.status != Cart.Status.OPEN:
        raise OrdersError(
            "This cart has already been ordered; start a new cart.",
            code=OrdersErrorCode.CART_CONVERTED,
        )


def cart_discount_applicable(cart: Cart, subtotal: Decimal) -> tuple[DiscountCode | None, dict]:
    """The cart's code if it still applies to this subtotal, and why not otherwise
    ({"code", "error"}, {} when it applies or there is none)."""
    if cart.discount_id is None:
        return None, {}
    try:
        return discount_check(code=cart.discount.code, subtotal=subtotal), {}
    except OrdersError as error:
        return None, {"code": error.code, "error": error.message}


def order_discount_check(discount: DiscountCode, subtotal: Decimal) -> None:
    """The minimum subtotal, at placing (discount_redeem checks every other rule, under the
    code's lock, and answers 409 when it was used up meanwhile)."""
    if discount.min_subtotal is not None and subtotal < discount.min_subtotal:
        discount_check(code=discount.code, subtotal=subtotal)  # raises discount_min_subtotal


def payment_method_check(method: str) -> str:
    provider = PAYMENT_METHODS.get(method)
    if provider is None or not provider.offered_by(connection.tenant):
        offered = [
            code for code, each in PAYMENT_METHODS.items() if each.offered_by(connection.tenant)
        ]
        raise OrdersError(
            f"This store does not take {method!r} payments.",
            code=OrdersErrorCode.PAYMENT_METHOD_UNAVAILABLE,
            details={"payment_method": method, "available": offered},
        )
    return method


@transaction.atomic
def order_payment_record(
    *, order: Order, status: str, reference: str = "", now: datetime | None = None
) -> Order:
    """The seller records that the order was paid, or refunded (only after paid: else 409)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    allowed = PAYMENT_TRANSITIONS.get(order.payment_status, set())
    if status not in allowed:
        raise OrdersError(
            f"A payment that is {order.payment_status} cannot become {status}.",
            code=OrdersErrorCode.INVALID_PAYMENT_TRANSITION,
            details={"from": order.payment_status, "to": status, "allowed": sorted(allowed)},
        )
    order.payment_status = status
    if reference:
        order.payment_reference = reference
    order.payment_recorded_at = now or timezone.now()
    order.save(update_fields=["payment_status", "payment_reference", "payment_recorded_at"])
    return order
