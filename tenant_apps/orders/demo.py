"""Demo orders for the store `make run` fills: buyers with orders in every status, over the
last few weeks.

Idempotent: orders carry the Idempotency-Key `demo-<n>`, so a second run finds them and makes
nothing new. They go through the real services (cart, order, status changes); only their
dates are moved back afterwards, so the lists look like a store that has been open a while.
"""

from datetime import timedelta

from django.utils import timezone

from tenant_apps.catalog.models import Product

from .models import Customer, Order
from .services import cart_create, cart_line_set, order_place, order_status_set

DEMO_BUYERS = (
    ("+919811200001", "Meera Iyer", "12 Lake Road", "Bengaluru", "560001"),
    ("+919811200002", "Rohan Das", "4 Park Street", "Kolkata", "700016"),
    ("+919811200003", "Anita Shah", "22 Marine Drive", "Mumbai", "400020"),
    ("+919811200004", "Vikram Singh", "8 Civil Lines", "Jaipur", "302006"),
)

# status path from "placed", days ago, buyer index, (product name, quantity)...
DEMO_ORDERS = (
    ((), 0, 0, (("Mango pickle", 2), ("Masala chai", 1))),
    ((), 0, 1, (("Cotton kurta", 1),)),
    (("accepted",), 1, 2, (("Brass diya", 2), ("Clay planter", 1))),
    (("accepted", "shipped"), 3, 3, (("Filter coffee", 1),)),
    (("accepted", "shipped", "delivered"), 6, 0, (("Linen scarf", 1), ("Lime pickle", 1))),
    (("accepted", "shipped", "delivered"), 12, 1, (("Jute basket", 1),)),
    (("accepted", "shipped", "delivered"), 20, 2, (("Khadi shirt", 2),)),
    (("cancelled",), 9, 3, (("Cane tray", 1),)),
    (("accepted", "cancelled"), 15, 0, (("Kokum sherbet", 3),)),
)


def _buyer(index: int) -> tuple[Customer, dict]:
    mobile, name, line1, city, pincode = DEMO_BUYERS[index]
    customer, _ = Customer.objects.get_or_create(mobile=mobile, defaults={"name": name})
    address = {"line1": line1, "city": city, "pincode": pincode, "phone": mobile}
    return customer, address


def demo_fill() -> None:
    products = {product.name: product for product in Product.objects.all()}
    now = timezone.now()
    for number, (path, days_ago, buyer, lines) in enumerate(DEMO_ORDERS, start=1):
        key = f"demo-{number}"
        if Order.objects.filter(idempotency_key=key).exists():
            continue
        if any(name not in products for name, _ in lines):
            continue  # the demo catalogue was changed by hand: leave this order out
        customer, address = _buyer(buyer)
        cart = cart_create()
        for name, quantity in lines:
            cart_line_set(cart=cart, product_id=products[name].pk, quantity=quantity)
        order, _ = order_place(
            customer=customer, cart_token=cart.token, address=address, idempotency_key=key
        )
        for status in path:
            order = order_status_set(order=order, status=status)
        placed_at = now - timedelta(days=days_ago, hours=2 + number)
        Order.objects.filter(pk=order.pk).update(
            created_at=placed_at,
            status_changed_at=min(now, placed_at + timedelta(hours=5)) if path else placed_at,
        )
