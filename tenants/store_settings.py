"""The store's selling settings: currency, delivery fee, tax and how buyers pay.

An owner changes them with `PATCH /api/store` or the console's Settings (both through
`store_profile_update`); the orders tool reads them as its pricing rules (`store_pricing_rules`
in its pricing module) and copies them onto each order, so a later change never rewrites an
order already placed.
"""

from decimal import Decimal, InvalidOperation
from typing import TypedDict, Unpack

from saas.api.errors import ApplicationError
from saas.validation import upi_id_is_valid

from .currencies import currency_is_valid
from .errors import StoreErrorCode
from .models import Store

# DecimalField(max_digits=10, decimal_places=2): up to 99,999,999.99.
MONEY_MAX = Decimal("99999999.99")
TAX_RATE_MAX = Decimal("100")


class SellingSettings(TypedDict, total=False):
    currency: str
    delivery_fee: Decimal
    free_delivery_above: Decimal | None
    tax_rate: Decimal
    tax_inclusive: bool
    cod_enabled: bool
    upi_id: str | None


def _decimal(value, *, most: Decimal, message: str, code: StoreErrorCode) -> Decimal:
    """A finite amount from 0 to `most` with at most two decimals, else the named refusal."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or not Decimal("0") <= amount <= most:
        raise ApplicationError(message, code=code)
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(f"{message} Use at most two decimals.", code=code)
    return amount.quantize(Decimal("0.01"))


def _currency(value) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if not currency_is_valid(code):
        raise ApplicationError(
            f"{str(value)[:16]!r} is not a currency: use an ISO 4217 code such as INR or USD.",
            code=StoreErrorCode.INVALID_CURRENCY,
        )
    return code


def _free_delivery_above(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = _decimal(
        value,
        most=MONEY_MAX,
        message="Free delivery starts at an amount above 0, like 499.00.",
        code=StoreErrorCode.INVALID_FREE_DELIVERY_ABOVE,
    )
    if amount == 0:
        raise ApplicationError(
            "Free delivery starts at an amount above 0; for free delivery on every order set "
            "the delivery fee to 0.",
            code=StoreErrorCode.INVALID_FREE_DELIVERY_ABOVE,
        )
    return amount


def _upi_id(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    upi_id = value.strip() if isinstance(value, str) else ""
    if not upi_id_is_valid(upi_id):
        raise ApplicationError(
            f"{str(value)[:40]!r} is not a UPI ID: it looks like yourshop@okhdfc.",
            code=StoreErrorCode.INVALID_UPI_ID,
        )
    return upi_id


_CHECKS = {
    "currency": _currency,
    "delivery_fee": lambda value: _decimal(
        value,
        most=MONEY_MAX,
        message="The delivery fee is an amount from 0 to 99999999.99.",
        code=StoreErrorCode.INVALID_DELIVERY_FEE,
    ),
    "free_delivery_above": _free_delivery_above,
    "tax_rate": lambda value: _decimal(
        value,
        most=TAX_RATE_MAX,
        message="The tax rate is a percentage from 0 to 100, like 18.00.",
        code=StoreErrorCode.INVALID_TAX_RATE,
    ),
    "tax_inclusive": bool,
    "cod_enabled": bool,
    "upi_id": _upi_id,
}


def selling_settings_apply(*, store: Store, **selling: Unpack[SellingSettings]) -> list[str]:
    """Check the given settings and set them on `store` (unsaved); the names of the fields
    changed. Refuses a store left with no way to pay (no cash on delivery and no UPI ID)."""
    unknown = set(selling) - set(_CHECKS)
    if unknown:
        raise TypeError(f"unknown selling settings: {sorted(unknown)}")
    values = {name: _CHECKS[name](value) for name, value in selling.items()}
    cod_enabled = values.get("cod_enabled", store.cod_enabled)
    if values and not cod_enabled and not values.get("upi_id", store.upi_id):
        raise ApplicationError(
            "Buyers need a way to pay: keep cash on delivery on, or add your UPI ID.",
            code=StoreErrorCode.NO_PAYMENT_METHOD,
        )
    for name, value in values.items():
        setattr(store, name, value)
    return list(values)


def selling_settings_data(store: Store) -> dict:
    """The settings as the API answers them: money as decimal strings with two places."""
    free_above = store.free_delivery_above
    return {
        "currency": store.currency,
        "delivery_fee": f"{Decimal(store.delivery_fee):.2f}",
        "free_delivery_above": None if free_above is None else f"{Decimal(free_above):.2f}",
        "tax_rate": f"{Decimal(store.tax_rate):.2f}",
        "tax_inclusive": store.tax_inclusive,
        "cod_enabled": store.cod_enabled,
        "upi_id": store.upi_id or None,
    }
