from django.db.models import QuerySet

from saas.api.errors import NotFoundError

from .models import Cart, Customer, Order


def cart_get(*, token: str) -> Cart:
    """The cart of this store with that token; another store's token is simply not found."""
    cart = Cart.objects.filter(token=token).first() if token else None
    if cart is None:
        raise NotFoundError("No such cart in this store.", code="cart_not_found")
    return cart


def cart_lines(*, cart: Cart) -> list:
    return list(cart.lines.order_by("id"))


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
        raise NotFoundError("No such order in this store.", code="order_not_found")
    return order
