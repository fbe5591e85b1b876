"""The one totals function of carts and orders, on plain numbers."""

from decimal import Decimal as D

import pytest

from tenant_apps.orders.pricing import Discount, PricingRules, totals_compute

LINES = [D("199.00"), D("2") * D("149.50")]  # subtotal 498.00


def test_no_extras_the_total_is_the_subtotal():
    totals = totals_compute(LINES, PricingRules())

    assert totals.as_strings() == {
        "subtotal": "498.00",
        "discount": "0.00",
        "delivery_fee": "0.00",
        "tax": "0.00",
        "total": "498.00",
        "currency": "INR",
    }


def test_inclusive_tax_is_shown_and_not_added():
    totals = totals_compute(LINES, PricingRules(tax_rate=D("18.00"), delivery_fee=D("40")))

    # 498 * 18 / 118 = 75.966… → 75.97
    assert (totals.tax, totals.delivery_fee, totals.total) == (D("75.97"), D("40.00"), D("538.00"))


def test_exclusive_tax_is_added_after_the_discount():
    rules = PricingRules(tax_rate=D("5"), tax_inclusive=False)

    totals = totals_compute(LINES, rules, Discount(kind="percent", value=D("10")))

    # discount 49.80, goods 448.20, tax 22.41, total 470.61
    assert totals.as_strings()["discount"] == "49.80"
    assert (totals.goods, totals.tax, totals.total) == (D("448.20"), D("22.41"), D("470.61"))


def test_an_amount_discount_is_capped_at_the_subtotal():
    totals = totals_compute([D("30.00")], PricingRules(), Discount(kind="amount", value=D("50")))

    assert (totals.discount, totals.goods, totals.total) == (D("30.00"), D("0.00"), D("0.00"))


@pytest.mark.parametrize(
    ("discount", "delivery_fee"),
    [
        (None, D("0.00")),  # goods 498.00 ≥ 450: free
        (Discount(kind="amount", value=D("48.00")), D("0.00")),  # goods 450.00, exactly the bar
        (Discount(kind="amount", value=D("48.01")), D("40.00")),  # goods 449.99: charged
    ],
)
def test_free_delivery_counts_goods_after_the_discount(discount, delivery_fee):
    rules = PricingRules(delivery_fee=D("40.00"), free_delivery_above=D("450.00"))

    assert totals_compute(LINES, rules, discount).delivery_fee == delivery_fee


def test_half_cents_round_up():
    totals = totals_compute([D("0.05")], PricingRules(), Discount(kind="percent", value=D("50")))

    assert totals.discount == D("0.03")  # 0.025 → 0.03, not banker's 0.02


def test_an_empty_cart_shows_no_delivery_fee():
    assert totals_compute([], PricingRules(delivery_fee=D("40"))).total == D("0.00")
