"""What each order notification says: the buyer's SMS and e-mail, the team's e-mail.

The SMS is fixed text with nothing a seller chooses in it (no store or product name), like the
sign-in code's (docs/platform.md): a seller must never decide what a text to a phone says. Its
amount is written `INR 288.98`, which every phone shows in the plain SMS alphabet.
E-mails name the store and the products: they go out only for a verified store owner, within
the store's daily quota (notifications.py), or to the store's own verified members.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.urls import reverse

from saas.access.timezone import current_store_timezone
from saas.console.templatetags import money

from .models import Order, OrderNotification

Event = OrderNotification.Event

# The header that names the outbox row in every e-mail (support reads it; tests count by it).
NOTIFICATION_HEADER = "X-Seller-Suite-Order-Notification"

SMS_TEXTS = {
    Event.PLACED: "Your Seller Suite order {number} is placed. Total: {currency} {total}.",
    Event.SHIPPED: "Your Seller Suite order {number} has shipped.",
    Event.DELIVERED: "Your Seller Suite order {number} is delivered.",
    Event.CANCELLED: "Your Seller Suite order {number} is cancelled.",
}
# What happened, in the buyer e-mail's subject and first line.
BUYER_EVENT_WORDS = {
    Event.PLACED: "is placed",
    Event.SHIPPED: "has shipped",
    Event.DELIVERED: "is delivered",
    Event.CANCELLED: "is cancelled",
}
BUYER_NEXT_STEP = {
    Event.PLACED: "We will write again when it ships.",
    Event.SHIPPED: "It is on its way to the address below.",
    Event.DELIVERED: "Thank you for shopping with us.",
    Event.CANCELLED: "Nothing more will be delivered for this order.",
}


def _store_name() -> str:
    tenant = getattr(connection, "tenant", None)
    return getattr(tenant, "name", "") or "Your store"


def _store_link() -> str:
    tenant = getattr(connection, "tenant", None)
    return getattr(tenant, "link", "") or ""


def notification_sms_text(*, order: Order, event: str) -> str:
    return SMS_TEXTS[event].format(
        number=order.number, currency=order.currency, total=f"{order.total:.2f}"
    )


def _amount(order: Order, value) -> str:
    return money(value, order.currency)


def _lines_block(order: Order) -> list[str]:
    rows = [
        f"  {line.quantity} x {line.name}: {_amount(order, line.line_total)}"
        for line in order.lines.all()
    ]
    rows.append(f"Subtotal: {_amount(order, order.subtotal)}")
    if order.discount:
        code = f" ({order.discount_code})" if order.discount_code else ""
        rows.append(f"Discount{code}: -{_amount(order, order.discount)}")
    rows.append(f"Delivery: {_amount(order, order.delivery_fee)}")
    if order.tax:
        rows.append(f"Tax: {_amount(order, order.tax)}")
    rows.append(f"Total: {_amount(order, order.total)}")
    rows.append(f"Payment: {order.get_payment_method_display()}")
    return rows


def _address_line(order: Order) -> str:
    parts = [order.address_line1, order.address_line2, order.address_city]
    return ", ".join(part for part in parts if part) + f" {order.address_pincode}"


def buyer_email_text(*, order: Order, event: str) -> tuple[str, str]:
    """(subject, body) of the buyer's e-mail about `event`."""
    store = _store_name()
    words = BUYER_EVENT_WORDS[event]
    subject = f"{store}: order {order.number} {words}"
    body = ["Hello,", "", f"Your order {order.number} at {store} {words}."]
    body += ["", *_lines_block(order), "", f"Delivery to: {_address_line(order)}"]
    body += ["", BUYER_NEXT_STEP[event], "", store, _store_link()]
    return subject, "\n".join(body).rstrip() + "\n"


def member_email_text(*, order: Order) -> tuple[str, str]:
    """(subject, body) of the e-mail to the store's members about a new order."""
    store = _store_name()
    placed = order.created_at.astimezone(current_store_timezone())
    path = reverse("console-order", kwargs={"order_id": order.pk}, urlconf=settings.ROOT_URLCONF)
    subject = f"New order {order.number} at {store}: {_amount(order, order.total)}"
    body = [
        f"A new order came in at {store}.",
        "",
        f"Order {order.number}, placed {placed:%d %b %Y, %H:%M} ({placed.tzname()})",
        f"Buyer: {order.customer.mobile}",
        *_lines_block(order),
        f"Delivery to: {_address_line(order)}",
        "",
        f"Open it in the console: {_store_link().rstrip('/')}{path}",
    ]
    return subject, "\n".join(body) + "\n"


def notification_email(*, notification: OrderNotification) -> EmailMessage:
    order = notification.order
    if notification.audience == OrderNotification.Audience.MEMBER:
        subject, body = member_email_text(order=order)
    else:
        subject, body = buyer_email_text(order=order, event=notification.event)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={NOTIFICATION_HEADER: str(notification.pk)},
    )
