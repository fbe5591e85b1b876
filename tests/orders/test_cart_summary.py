"""cart_summary: the arithmetic behind every cart answer, read from the stored lines."""

from decimal import Decimal

from tenant_apps.orders.errors import OrdersErrorCode
from tenant_apps.orders.models import CartLine
from tenant_apps.orders.selectors import CartSummary, CartSummaryLine, cart_summary
from tenant_apps.orders.services import cart_create
from tests.support.factories import product_make
from tests.support.stores import in_store


def test_lines_item_count_and_total(store_a):
    with in_store(store_a):
        cart = cart_create()
        tea = product_make("Tea", sale_price="45.50", image="store_alpha/products/t.png")
        cake = product_make("Cake", category="Bakery", mrp="150.00", sale_price="120.00")
        # The line keeps the price it was set with, whatever the product costs later.
        CartLine.objects.create(cart=cart, product=tea, name="Tea", unit_price=Decimal("45.50"),
                                image="store_alpha/products/t.png", quantity=3)  # fmt: skip
        CartLine.objects.create(cart=cart, product=cake, name="Cake",
                                unit_price=Decimal("99.99"), quantity=1)  # fmt: skip

        summary = cart_summary(cart=cart)

    assert summary == CartSummary(
        token=cart.token,
        status="open",
        lines=[
            CartSummaryLine(tea.id, "Tea", Decimal("45.50"), 3, Decimal("136.50"),
                            "store_alpha/products/t.png"),
            CartSummaryLine(cake.id, "Cake", Decimal("99.99"), 1, Decimal("99.99"), ""),
        ],
        item_count=4,
        subtotal=Decimal("236.49"),
        discount=Decimal("0.00"),
        delivery_fee=Decimal("0.00"),
        tax=Decimal("0.00"),
        total=Decimal("236.49"),
        currency="INR",
        discount_code="",
        discount_problem=None,
    )  # fmt: skip


def test_an_empty_cart_sums_to_zero(store_a):
    with in_store(store_a):
        summary = cart_summary(cart=cart_create())

    assert (summary.lines, summary.item_count, summary.total) == ([], 0, Decimal("0.00"))


def test_error_codes_have_one_status_each():
    codes = [member.code for member in OrdersErrorCode]
    assert len(codes) == len(set(codes))
    assert OrdersErrorCode.PRODUCT_UNAVAILABLE.status_code == 404
