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

__all__ = ["upi_id_is_valid", "upi_qr_svg", "upi_uri"]


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
