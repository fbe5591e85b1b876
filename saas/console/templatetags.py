"""Template filters every template has (TEMPLATES "builtins"): money with its currency."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

CURRENCY_SIGNS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£"}


def grouped(value: Decimal, *, indian: bool) -> str:
    """Thousands grouping; rupees group as lakhs and crores (1,23,456.00), as Indians read them."""
    western = f"{value:,.2f}"
    if not indian:
        return western
    whole, cents = f"{value:.2f}".split(".")
    head, last3 = whole[:-3], whole[-3:]
    pairs = []
    while head:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([*pairs, last3]) + "." + cents


@register.filter
def money(amount, currency: str = "INR") -> str:
    """`1234.5|money` → "₹1,234.50"; a currency without a sign shows its code: "AED 12.00"."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return ""
    currency = (currency or "INR").upper()
    figures = grouped(abs(value), indian=currency == "INR")
    sign = "\u2212" if value < 0 else ""  # a minus sign, not a hyphen
    symbol = CURRENCY_SIGNS.get(currency)
    return f"{sign}{symbol}{figures}" if symbol else f"{sign}{currency} {figures}"
