from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from saas.access.timezone import current_store_timezone
from saas.access.tokens import key_hash
from shared_apps.accounts.models import StoreMembership

from .checkout import cart_discount_applicable, store_totals
from .errors import OrdersError, OrdersErrorCode
from .models import Cart, Customer, Order, OrderNotification


def cart_get(*, token: str, for_update: bool = False) -> Cart:
    """The cart of this store with that token (looked up by its hash); another store's token
    is simply not found.

    `for_update` locks the row until the caller's transaction ends.
    """
    carts = (
        Cart.objects.select_for_update() if for_update else Cart.objects.select_related("discount")
    )
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
    subtotal: Decimal
    discount: Decimal
    delivery_fee: Decimal
    tax: Decimal
    total: Decimal
    currency: str
    # The code the buyer applied ("" when none) and, when it no longer applies (the cart
    # fell below its minimum, it expired...), why: {"code", "error"}; else None.
    discount_code: str
    discount_problem: dict | None


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
    line_totals = [line.line_total for line in lines]
    subtotal = sum(line_totals, start=Decimal("0.00"))
    discount, problem = cart_discount_applicable(cart, subtotal)
    totals = store_totals(line_totals, discount)
    return CartSummary(
        token=cart.token,
        status=cart.status,
        lines=lines,
        item_count=sum(line.quantity for line in lines),
        subtotal=totals.subtotal,
        discount=totals.discount,
        delivery_fee=totals.delivery_fee,
        tax=totals.tax,
        total=totals.total,
        currency=totals.currency,
        discount_code=cart.discount.code if cart.discount_id is not None else "",
        discount_problem=problem or None,
    )


def _orders(*, customer: Customer | None) -> QuerySet[Order]:
    """Orders with their lines; a seller's read (no `customer`) also has the notifications."""
    orders = Order.objects.select_related("customer").prefetch_related("lines")
    if customer is None:
        notifications = OrderNotification.objects.order_by("created_at", "id")
        orders = orders.prefetch_related(Prefetch("notifications", queryset=notifications))
    else:
        orders = orders.filter(customer=customer)
    return orders


def order_list(*, status: str | None = None, customer: Customer | None = None) -> QuerySet[Order]:
    orders = _orders(customer=customer)
    if status:
        orders = orders.filter(status=status)
    return orders.order_by("-created_at", "-id")


def order_get(*, order_id: int, customer: Customer | None = None) -> Order:
    orders = _orders(customer=customer)
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


# --- the seller's console: figures and customers ------------------------------------------


def _store_day_and_month_start(now: datetime) -> tuple[datetime, datetime]:
    local = now.astimezone(current_store_timezone())
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return day, day.replace(day=1)


@dataclass(frozen=True)
class OrderFigures:
    orders_today: int
    revenue_today: Decimal
    orders_this_month: int
    revenue_this_month: Decimal


def order_figures(*, now: datetime | None = None) -> OrderFigures:
    """Orders and revenue of today and this month in the store's timezone; cancelled orders
    are not revenue (they are not counted as orders either)."""
    day_start, month_start = _store_day_and_month_start(now or timezone.now())
    month = Order.objects.filter(created_at__gte=month_start).exclude(status=Order.Status.CANCELLED)
    zero = Value(Decimal("0.00"))
    totals = month.aggregate(
        orders_this_month=Count("id"),
        revenue_this_month=Coalesce(Sum("total"), zero),
        orders_today=Count("id", filter=Q(created_at__gte=day_start)),
        revenue_today=Coalesce(Sum("total", filter=Q(created_at__gte=day_start)), zero),
    )
    return OrderFigures(**totals)


def order_received_any() -> bool:
    return Order.objects.exists()


def customer_list(*, search: str = "") -> QuerySet[Customer]:
    """Buyers with their order count, what they spent (cancelled orders aside) and their last
    order, the latest buyer first."""
    spent = Sum("orders__total", filter=~Q(orders__status=Order.Status.CANCELLED))
    customers = Customer.objects.annotate(
        order_count=Count("orders"),
        spent=Coalesce(spent, Value(Decimal("0.00"))),
        last_order_at=Max("orders__created_at"),
    ).order_by(F("last_order_at").desc(nulls_last=True), "-id")
    if search:
        customers = customers.filter(Q(mobile__icontains=search) | Q(name__icontains=search))
    return customers


def customer_get(*, customer_id: int) -> Customer:
    customer = customer_list().filter(pk=customer_id).first()
    if customer is None:
        raise OrdersError(
            "No such customer in this store.", code=OrdersErrorCode.CUSTOMER_NOT_FOUND
        )
    return customer


def order_status_counts() -> dict[str, int]:
    """How many orders are in each status (every status named, 0 when none)."""
    counts = dict(Order.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in Order.Status.values}


def order_unseen_count() -> int:
    """Orders no member of the store has opened in the console yet."""
    return Order.objects.filter(seen_at__isnull=True).count()


def order_notification_list(*, order: Order) -> list[OrderNotification]:
    return list(order.notifications.order_by("created_at", "id"))


def store_member_addresses_verified() -> list[str]:
    """The e-mail addresses of this store's active members who verified them (the link we
    mailed), one each, for the team's mail: a verified mobile says nothing of an address."""
    tenant = getattr(connection, "tenant", None)
    addresses = (
        StoreMembership.objects.filter(
            store_id=getattr(tenant, "pk", None),
            seller__is_active=True,
            seller__email_verified_at__isnull=False,
        )
        .exclude(seller__email=None)
        .exclude(seller__email="")
        .order_by("seller_id")
        .values_list("seller__email", flat=True)
    )
    return list(dict.fromkeys(addresses))
