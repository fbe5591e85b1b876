"""UPI payment of an order: the address check, the `upi://pay` link and its QR code.

The link follows NPCI's UPI deep-link form (pa = payee address, pn = payee name, am = amount,
cu = currency, tn = note); every UPI app opens it on a phone, and scans it as a QR code on a
computer. The QR is drawn by segno, as inline SVG (no image file, no network).
"""

from decimal import Decimal
from urllib.parse import quote

import segno

# The address check is shared with the store's settings, which the platform owns.
from saas.validation import upi_id_is_valid

__all__ = ["PAYMENT_METHODS", "payment_instructions", "upi_id_is_valid", "upi_qr_svg", "upi_uri"]


def _encoded(value: str) -> str:
    # "@" stays readable in the payee address, as UPI apps expect; spaces are %20, never "+".
    return quote(value, safe="@")


def upi_uri(*, upi_id: str, payee: str, amount: Decimal, currency: str, order_number: str) -> str:
    fields = (
        ("pa", upi_id),
        ("pn", payee),
        ("am", f"{amount:.2f}"),
        ("cu", currency),
        ("tn", f"Order {order_number}"),
    )
    return "upi://pay?" + "&".join(f"{key}={_encoded(value)}" for key, value in fields)


def upi_qr_svg(uri: str) -> str:
    """The link as an inline SVG QR code, titled for screen readers."""
    qr = segno.make(uri, error="m")
    return qr.svg_inline(scale=5, border=2, title="UPI payment QR code", dark="#111")


# --- payment methods --------------------------------------------------------------------------
# A method is a small class: whether the store offers it, and what the buyer needs to pay
# (None when nothing: cash is paid at the door). A card gateway is one more class here (its
# `instructions` would create the gateway's checkout session and return its URL) plus a
# webhook API calling `order_payment_record`; orders and totals do not change.


class CashOnDelivery:
    code = "cod"

    def offered_by(self, store) -> bool:
        return bool(store.cod_enabled)

    def instructions(self, *, order, store) -> dict | None:
        return None


class UpiTransfer:
    code = "upi"

    def offered_by(self, store) -> bool:
        return bool(store.upi_id)

    def instructions(self, *, order, store) -> dict | None:
        uri = upi_uri(
            upi_id=store.upi_id,
            payee=store.name,
            amount=order.total,
            currency=order.currency,
            order_number=order.number or "",
        )
        return {"upi_uri": uri, "qr_svg": upi_qr_svg(uri)}


PAYMENT_METHODS = {method.code: method for method in (CashOnDelivery(), UpiTransfer())}


def payment_instructions(*, order, store) -> dict | None:
    method = PAYMENT_METHODS.get(order.payment_method)
    return None if method is None else method.instructions(order=order, store=store)
