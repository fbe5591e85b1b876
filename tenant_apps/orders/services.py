import secrets
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from saas.access.tokens import key_hash
from shared_apps.accounts.otp import (
    customer_otp_scope,
    otp_challenge_request,
    otp_challenge_verify,
)
from tenant_apps.catalog.models import Product

from .checkout import order_discount_check, payment_method_check, store_totals
from .discounts import discount_redeem
from .errors import OrdersError, OrdersErrorCode
from .models import Address, Cart, CartLine, Customer, Order, OrderLine
from .notifications import order_notifications_queue
from .selectors import cart_get, order_find_for_replay
from .stock import stock_check_cart, stock_return, stock_take

CART_MAX_QUANTITY = 99
CART_IDLE_DAYS = 30
CART_TOKEN_BYTES = 32
ORDER_NUMBER_OFFSET = 1000
IDEMPOTENCY_KEY_MAX_LENGTH = 100

# Allowed status changes; anything else is a conflict.
ORDER_TRANSITIONS = {
    Order.Status.PLACED: {Order.Status.ACCEPTED, Order.Status.CANCELLED},
    Order.Status.ACCEPTED: {Order.Status.SHIPPED, Order.Status.CANCELLED},
    Order.Status.SHIPPED: {Order.Status.DELIVERED},
    Order.Status.DELIVERED: set(),
    Order.Status.CANCELLED: set(),
}
# The order a seller reads the next steps in: forward first, cancelling last.
ORDER_STATUS_SEQUENCE = (
    Order.Status.PLACED,
    Order.Status.ACCEPTED,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
    Order.Status.CANCELLED,
)


def order_next_statuses(*, status: str) -> list[str]:
    """The statuses an order in `status` may move to (ORDER_TRANSITIONS), forward first.

    The console's buttons and the store admin's choices come from here, so they offer what
    order_status_set (and the API) accepts and nothing else.
    """
    allowed = ORDER_TRANSITIONS.get(status, set())
    return [candidate for candidate in ORDER_STATUS_SEQUENCE if candidate in allowed]


# --- buyers -------------------------------------------------------------------------------


def customer_otp_request(*, mobile: str, schema_name: str) -> None:
    """A code for this store's buyer sign-in. The SMS is the platform's fixed text: the store's
    name is the seller's choice, and would let anyone who opens a store phish strangers."""
    otp_challenge_request(mobile=mobile, scope=customer_otp_scope(schema_name))


def customer_otp_login(*, mobile: str, code: str, schema_name: str) -> tuple[Customer, bool]:
    """Check the code; the customer is created on first sign-in. Returns (customer, created)."""
    mobile = otp_challenge_verify(mobile=mobile, scope=customer_otp_scope(schema_name), code=code)
    now = timezone.now()
    try:
        with transaction.atomic():
            customer, created = Customer.objects.get_or_create(mobile=mobile)
    except IntegrityError:
        # Two first sign-ins racing: the other one created the row.
        customer, created = Customer.objects.get(mobile=mobile), False
    Customer.objects.filter(pk=customer.pk).update(last_login_at=now)
    customer.last_login_at = now
    return customer, created


# --- carts ----------------------------------------------------------------------------------


def cart_create() -> Cart:
    """A new empty cart; `cart.token` is its key, for this answer only (its hash is stored)."""
    token = secrets.token_urlsafe(CART_TOKEN_BYTES)
    cart = Cart.objects.create(token_hash=key_hash(token), last_activity_at=timezone.now())
    cart.token = token
    return cart


def cart_customer_claim(*, cart_token: str, customer: Customer) -> bool:
    """The buyer signed in with this cart in hand: the open cart is theirs from now on (the
    abandoned carts list shows their mobile). An unknown or spent token claims nothing; the
    sign-in never fails because of the cart."""
    if not cart_token:
        return False
    claimed = Cart.objects.filter(token_hash=key_hash(cart_token), status=Cart.Status.OPEN).update(
        customer=customer
    )
    return claimed == 1


def cart_touch(*, cart: Cart) -> None:
    """Mark the cart as used now (at most once a minute, to keep reads cheap)."""
    now = timezone.now()
    if now - cart.last_activity_at > timedelta(minutes=1):
        Cart.objects.filter(pk=cart.pk).update(last_activity_at=now)
        cart.last_activity_at = now


@transaction.atomic
def cart_line_set(*, cart: Cart, product_id: int, quantity: int) -> Cart:
    """Set how many of a product the cart holds; 0 removes the line."""
    if quantity < 0 or quantity > CART_MAX_QUANTITY:
        raise OrdersError(
            f"The quantity must be between 0 and {CART_MAX_QUANTITY}.",
            code=OrdersErrorCode.INVALID_QUANTITY,
            details={"max_quantity": CART_MAX_QUANTITY},
        )
    token = cart.token
    cart = Cart.objects.select_for_update().get(pk=cart.pk)
    cart.token = token  # the caller's key, never stored
    if cart.status != Cart.Status.OPEN:
        raise OrdersError(
            "This cart has already been ordered; start a new cart.",
            code=OrdersErrorCode.CART_CONVERTED,
        )
    now = timezone.now()
    cart.last_activity_at = now
    cart.save(update_fields=["last_activity_at"])
    if quantity == 0:
        CartLine.objects.filter(cart=cart, product_id=product_id).delete()
        return cart
    product = Product.objects.filter(pk=product_id, is_active=True).first()
    if product is None:
        raise OrdersError(
            "That product is not for sale in this store.",
            code=OrdersErrorCode.PRODUCT_UNAVAILABLE,
            details={"product_id": product_id},
        )
    stock_check_cart(product=product, quantity=quantity)
    CartLine.objects.update_or_create(
        cart=cart,
        product=product,
        defaults={
            "quantity": quantity,
            "name": product.name,
            "unit_price": product.sale_price,
            "image": product.image.name,
        },
    )
    return cart


def cart_expired_delete(*, now=None, idle_days: int = CART_IDLE_DAYS) -> int:
    """Remove carts nobody has touched for `idle_days`; orders keep their own copy of lines."""
    now = now or timezone.now()
    deleted, _ = Cart.objects.filter(last_activity_at__lt=now - timedelta(days=idle_days)).delete()
    return deleted


# --- orders ---------------------------------------------------------------------------------


def _address_remember(*, customer: Customer, address: dict) -> Address:
    fields = {
        "line1": address["line1"],
        "line2": address.get("line2", ""),
        "city": address["city"],
        "pincode": address["pincode"],
        "phone": address["phone"],
    }
    known = Address.objects.filter(customer=customer, **fields).first()
    if known is not None:
        known.save(update_fields=["last_used_at"])
        return known
    return Address.objects.create(customer=customer, **fields)


def order_place(
    *,
    customer: Customer,
    cart_token: str,
    address: dict,
    note: str = "",
    idempotency_key: str = "",
    payment_method: str = Order.PaymentMethod.COD,
    email: str = "",
) -> tuple[Order, bool]:
    """Turn a cart into an order in one transaction. Returns (order, created).

    The order's notifications (buyer SMS, buyer e-mail to `email` when given, the team's
    e-mail) are written in the same transaction and sent after it commits.

    The same cart, or the same Idempotency-Key, gives back the order made the first time,
    also when two requests race: the cart row is locked, and unique constraints on the cart
    and on (customer, key) stop a second insert that slipped past the checks.
    """
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise OrdersError(
            f"The Idempotency-Key header is longer than {IDEMPOTENCY_KEY_MAX_LENGTH} characters.",
            code=OrdersErrorCode.INVALID_IDEMPOTENCY_KEY,
        )
    replay = order_find_for_replay(customer=customer, idempotency_key=idempotency_key)
    if replay is not None:
        return replay, False
    payment_method_check(payment_method)
    try:
        with transaction.atomic():
            return _order_place_locked(
                customer=customer,
                cart_token=cart_token,
                address=address,
                note=note,
                idempotency_key=idempotency_key,
                payment_method=payment_method,
                email=email.strip().lower(),
            )
    except IntegrityError:
        # Another request holding the same key (or cart) committed first.
        replay = order_find_for_replay(
            customer=customer, idempotency_key=idempotency_key, cart_token=cart_token
        )
        if replay is None:
            raise
        return replay, False


def _order_place_locked(
    *,
    customer: Customer,
    cart_token: str,
    address: dict,
    note: str,
    idempotency_key: str,
    payment_method: str,
    email: str,
) -> tuple[Order, bool]:
    cart = cart_get(token=cart_token, for_update=True)
    existing = Order.objects.filter(cart=cart).first()
    if existing is not None:
        if existing.customer_id != customer.pk:
            raise OrdersError(
                "This cart has already been ordered.", code=OrdersErrorCode.CART_CONVERTED
            )
        return existing, False
    order_lines = _order_lines_priced(cart=cart)
    discount = cart.discount
    subtotal = sum((line.line_total for line in order_lines), start=Decimal("0.00"))
    if discount is not None:
        order_discount_check(discount, subtotal)
    totals = store_totals([line.line_total for line in order_lines], discount)
    remembered = _address_remember(customer=customer, address=address)
    order = Order.objects.create(
        customer=customer,
        cart=cart,
        idempotency_key=idempotency_key,
        subtotal=totals.subtotal,
        discount=totals.discount,
        delivery_fee=totals.delivery_fee,
        tax=totals.tax,
        total=totals.total,
        currency=totals.currency,
        discount_code=discount.code if discount is not None else "",
        payment_method=payment_method,
        address=remembered,
        address_line1=remembered.line1,
        address_line2=remembered.line2,
        address_city=remembered.city,
        address_pincode=remembered.pincode,
        address_phone=remembered.phone,
        note=note,
        email=email,
    )
    order.number = str(ORDER_NUMBER_OFFSET + order.pk)
    order.save(update_fields=["number"])
    for order_line in order_lines:
        order_line.order = order
    OrderLine.objects.bulk_create(order_lines)
    if discount is not None:
        # 409 discount_used_up when its last use went to another order meanwhile; the
        # exception rolls back the order and the stock it took.
        discount_redeem(code_obj=discount, customer=customer, order=order)
    cart.status = Cart.Status.CONVERTED
    cart.last_activity_at = timezone.now()
    cart.save(update_fields=["status", "last_activity_at"])
    order_notifications_queue(order=order, status=Order.Status.PLACED)
    return order, True


def _order_lines_priced(*, cart: Cart) -> list[OrderLine]:
    """The cart's lines as unsaved order lines, at the prices the store asks now."""
    lines = list(cart.lines.order_by("id"))
    if not lines:
        raise OrdersError("The cart is empty.", code=OrdersErrorCode.CART_EMPTY)
    # Prices are re-read now, under the products' locks (stock_take), so the order charges
    # today's prices and takes the stock in its own transaction (409 insufficient_stock).
    quantities: dict[int, int] = {}
    for line in lines:
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    products = stock_take(quantities=quantities)
    unavailable = [
        line.product_id
        for line in lines
        if line.product_id not in products or not products[line.product_id].is_active
    ]
    if unavailable:
        raise OrdersError(
            "Some products in the cart are no longer for sale.",
            code=OrdersErrorCode.PRODUCT_UNAVAILABLE,
            details={"product_ids": unavailable},
        )
    return [
        _order_line(product=products[line.product_id], quantity=line.quantity) for line in lines
    ]


def _order_line(*, product: Product, quantity: int) -> OrderLine:
    """A line as ordered: the product's name, prices and picture of this moment."""
    return OrderLine(
        product=product,
        name=product.name,
        unit_price=product.sale_price,
        mrp=product.mrp,
        image=product.image.name,
        quantity=quantity,
        line_total=product.sale_price * quantity,
    )


@transaction.atomic
def order_status_set(*, order: Order, status: str) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if status not in ORDER_TRANSITIONS.get(order.status, set()):
        raise OrdersError(
            f"An order that is {order.status} cannot become {status}.",
            code=OrdersErrorCode.INVALID_TRANSITION,
            details={
                "from": order.status,
                "to": status,
                "allowed": sorted(ORDER_TRANSITIONS.get(order.status, set())),
            },
        )
    if status == Order.Status.CANCELLED:
        stock_return(order=order)
    order.status = status
    order.status_changed_at = timezone.now()
    order.save(update_fields=["status", "status_changed_at"])
    # In this transaction: the buyer hears of the change exactly when it is committed.
    order_notifications_queue(order=order, status=status)
    return order


def order_mark_seen(*, order: Order, now=None) -> Order:
    """A member opened the order in the console: it is no longer new (the first time counts;
    a conditional UPDATE, so two members opening it at once keep the first moment)."""
    if order.seen_at is None:
        moment = now or timezone.now()
        if Order.objects.filter(pk=order.pk, seen_at__isnull=True).update(seen_at=moment):
            order.seen_at = moment
    return order
