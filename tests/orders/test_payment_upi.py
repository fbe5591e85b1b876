"""The UPI link and QR code of an order, on plain values."""

from decimal import Decimal

import pytest

from tenant_apps.orders.payment import upi_id_is_valid, upi_qr_svg, upi_uri


def test_the_upi_link_carries_payee_amount_currency_and_order():
    uri = upi_uri(
        upi_id="shop@okhdfc",
        payee="Asha's Pickles & Co",
        amount=Decimal("538"),
        currency="INR",
        order_number="ALP-000042",
    )

    assert uri == (
        "upi://pay?pa=shop@okhdfc&pn=Asha%27s%20Pickles%20%26%20Co&am=538.00&cu=INR"
        "&tn=Order%20ALP-000042"
    )


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("shop@okhdfc", True),
        ("asha.rao-1@ybl", True),
        ("shop@", False),
        ("@okhdfc", False),
        ("shop@ok hdfc", False),
        ("shop@1bank", False),
        ("shop", False),
        ("", False),
    ],
)
def test_upi_addresses_are_handle_at_provider(value, valid):
    assert upi_id_is_valid(value) is valid


def test_the_qr_code_is_inline_svg_with_a_title():
    svg = upi_qr_svg("upi://pay?pa=shop@okhdfc&am=1.00")

    assert svg.startswith("<svg") and "<title>UPI payment QR code</title>" in svg
