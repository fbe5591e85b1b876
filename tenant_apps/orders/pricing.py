"""Cart and order totals: one pure function, decimal money rounded half-up to 2 places.

The rules (commerce issue): subtotal is the sum of line totals; a percent discount takes that
share of the subtotal, an amount discount is capped at the subtotal; goods = subtotal -
discount; delivery is free when `free_delivery_above` is set and goods reach it, else the
store's fee; with tax-inclusive prices the tax is the part of goods that is tax
(goods * rate / (100 + rate), shown and not added), otherwise goods * rate / 100 is added.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricingRules:
    """What a store charges besides its prices (its settings, copied onto each order)."""

    currency: str = "INR"
    delivery_fee: Decimal = ZERO
    free_delivery_above: Decimal | None = None
    tax_rate: Decimal = ZERO
    tax_inclusive: bool = True


@dataclass(frozen=True)
class Discount:
    """A discount to apply: `kind` is "percent" (value 0 to 100) or "amount" (money)."""

    kind: str
    value: Decimal


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount: Decimal
    goods: Decimal
    delivery_fee: Decimal
    tax: Decimal
    total: Decimal
    currency: str

    def as_strings(self) -> dict[str, str]:
        """The API's money fields: decimal strings with two places."""
        fields = ("subtotal", "discount", "delivery_fee", "tax", "total")
        return {name: f"{getattr(self, name):.2f}" for name in fields} | {"currency": self.currency}


def discount_amount(subtotal: Decimal, discount: Discount | None) -> Decimal:
    if discount is None:
        return ZERO
    if discount.kind == "percent":
        return cents(subtotal * min(discount.value, HUNDRED) / HUNDRED)
    return cents(min(discount.value, subtotal))


def totals_compute(
    line_totals: list[Decimal], rules: PricingRules, discount: Discount | None = None
) -> Totals:
    subtotal = cents(sum(line_totals, ZERO))
    taken_off = discount_amount(subtotal, discount)
    goods = subtotal - taken_off
    free = rules.free_delivery_above is not None and goods >= rules.free_delivery_above
    # An empty cart has nothing to deliver, so it shows no fee either.
    delivery_fee = ZERO if free or not line_totals else cents(rules.delivery_fee)
    rate = Decimal(rules.tax_rate)
    if rules.tax_inclusive:
        tax = cents(goods * rate / (HUNDRED + rate))
        total = goods + delivery_fee
    else:
        tax = cents(goods * rate / HUNDRED)
        total = goods + delivery_fee + tax
    return Totals(
        subtotal=subtotal,
        discount=taken_off,
        goods=goods,
        delivery_fee=delivery_fee,
        tax=tax,
        total=cents(total),
        currency=rules.currency,
    )


def store_pricing_rules(store) -> PricingRules:
    """The rules of a store (tenants.Store, usually `connection.tenant`) from its selling
    settings. It lives here, not in tenants/, because the platform names no tool."""
    return PricingRules(
        currency=store.currency,
        delivery_fee=Decimal(store.delivery_fee),
        free_delivery_above=(
            None if store.free_delivery_above is None else Decimal(store.free_delivery_above)
        ),
        tax_rate=Decimal(store.tax_rate),
        tax_inclusive=store.tax_inclusive,
    )
