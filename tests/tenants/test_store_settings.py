"""The store's selling settings in /api/store: every member reads them, owners change them;
bad values are refused with their reason and change nothing (the whole PATCH is refused)."""

from decimal import Decimal as D

import pytest
from django.utils.html import escape

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.orders.pricing import PricingRules, store_pricing_rules
from tenants.models import Store
from tests.support.console import console_client
from tests.support.stores import api_client, store_host

SELLING_KEYS = ("currency", "delivery_fee", "free_delivery_above", "tax_rate", "tax_inclusive",
                "cod_enabled", "upi_id")  # fmt: skip


def selling(answer) -> dict:
    return {key: answer.json()[key] for key in SELLING_KEYS}


@pytest.fixture
def staff_client_a(store_a):
    staff = Seller.objects.create_user(mobile="+919800000072", name="Ravi")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)
    return api_client(store_host(store_a), jwt=seller_token_pair(staff)["access"])


def test_a_new_store_sells_in_rupees_with_cash_on_delivery_and_no_extras(client_a):
    assert selling(client_a.get("/api/store")) == {
        "currency": "INR", "delivery_fee": "0.00", "free_delivery_above": None,
        "tax_rate": "0.00", "tax_inclusive": True, "cod_enabled": True, "upi_id": None,
    }  # fmt: skip


def test_the_owner_sets_them_and_every_member_reads_them(client_a, staff_client_a, store_a):
    answer = client_a.patch(
        "/api/store",
        {"currency": "usd", "delivery_fee": 40, "free_delivery_above": "499.5", "tax_rate": "18",
         "tax_inclusive": False, "cod_enabled": False, "upi_id": " shop@okhdfc "},
        format="json",
    )  # fmt: skip

    expected = {
        "currency": "USD", "delivery_fee": "40.00", "free_delivery_above": "499.50",
        "tax_rate": "18.00", "tax_inclusive": False, "cod_enabled": False, "upi_id": "shop@okhdfc",
    }  # fmt: skip
    assert answer.status_code == 200
    assert selling(answer) == expected
    assert selling(staff_client_a.get("/api/store")) == expected
    assert store_pricing_rules(Store.objects.get(pk=store_a.pk)) == PricingRules(
        currency="USD", delivery_fee=D("40.00"), free_delivery_above=D("499.50"),
        tax_rate=D("18.00"), tax_inclusive=False,
    )  # fmt: skip


def test_free_delivery_and_the_upi_id_can_be_cleared(client_a, store_a):
    client_a.patch("/api/store", {"free_delivery_above": "300", "upi_id": "a.b@ybl"}, format="json")

    answer = client_a.patch(
        "/api/store", {"free_delivery_above": None, "upi_id": ""}, format="json"
    )

    assert (answer.json()["free_delivery_above"], answer.json()["upi_id"]) == (None, None)
    store = Store.objects.get(pk=store_a.pk)
    assert (store.free_delivery_above, store.upi_id) == (None, None)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"currency": "RUPEES"}, "invalid_currency"),
        ({"currency": "XYZ"}, "invalid_currency"),
        ({"currency": ""}, "blank"),
        ({"delivery_fee": "-1"}, "invalid_delivery_fee"),
        ({"delivery_fee": "1.005"}, "invalid_delivery_fee"),
        ({"delivery_fee": "100000000"}, "invalid_delivery_fee"),
        ({"delivery_fee": "Infinity"}, "invalid"),
        ({"delivery_fee": "forty"}, "invalid"),
        ({"free_delivery_above": "0"}, "invalid_free_delivery_above"),
        ({"tax_rate": "100.01"}, "invalid_tax_rate"),
        ({"tax_rate": "-0.01"}, "invalid_tax_rate"),
        ({"upi_id": "shop"}, "invalid_upi_id"),
        ({"upi_id": "shop@ok hdfc"}, "invalid_upi_id"),
        ({"upi_id": "@okhdfc"}, "invalid_upi_id"),
        ({"cod_enabled": False}, "no_payment_method"),
        ({"tax_inclusive": "maybe"}, "invalid"),
        # One bad field refuses the whole change: the name is not saved either.
        ({"name": "Renamed", "tax_rate": "101"}, "invalid_tax_rate"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(client_a, store_a, body, code):
    answer = client_a.patch("/api/store", body, format="json")

    assert (answer.status_code, answer.json()["code"]) == (400, code)
    store = Store.objects.get(pk=store_a.pk)
    assert (store.name, store.currency, store.delivery_fee, store.tax_rate) == (
        "Alpha", "INR", D("0.00"), D("0.00"),
    )  # fmt: skip
    assert (store.free_delivery_above, store.upi_id, store.cod_enabled) == (None, None, True)


def test_the_messages_say_what_to_write(client_a):
    tax = client_a.patch("/api/store", {"tax_rate": "101"}, format="json").json()["error"]
    upi = client_a.patch("/api/store", {"upi_id": "shop"}, format="json").json()["error"]
    pay = client_a.patch("/api/store", {"cod_enabled": False}, format="json").json()["error"]

    assert tax == "The tax rate is a percentage from 0 to 100, like 18.00."
    assert upi == "'shop' is not a UPI ID: it looks like yourshop@okhdfc."
    assert pay == "Buyers need a way to pay: keep cash on delivery on, or add your UPI ID."


def test_cash_on_delivery_can_be_switched_off_once_upi_is_set(client_a):
    answer = client_a.patch(
        "/api/store", {"cod_enabled": False, "upi_id": "shop@okaxis"}, format="json"
    )

    assert (answer.status_code, answer.json()["cod_enabled"]) == (200, False)


def test_staff_cannot_change_them(staff_client_a, store_a):
    answer = staff_client_a.patch("/api/store", {"tax_rate": "5"}, format="json")

    assert (answer.status_code, answer.json()["code"]) == (403, "owner_required")
    assert Store.objects.get(pk=store_a.pk).tax_rate == D("0.00")


def test_another_stores_owner_cannot_read_or_change_them(store_a, seller_b):
    b_on_a = api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"])

    assert b_on_a.get("/api/store").status_code == 403
    assert b_on_a.patch("/api/store", {"tax_rate": "5"}, format="json").status_code == 403
    assert Store.objects.get(pk=store_a.pk).tax_rate == D("0.00")


# --- the console's Settings page ----------------------------------------------------------

SELLING_FORM = {"currency": "INR", "delivery_fee": "40", "free_delivery_above": "499",
                "tax_rate": "18", "tax_inclusive": "on", "cod_enabled": "on",
                "upi_id": "shop@okhdfc"}  # fmt: skip


def test_the_owner_saves_the_selling_settings_in_the_console(store_a):
    client = console_client(store_a)

    page = client.get("/console/settings/").content.decode()
    saved = client.post("/console/settings/selling", SELLING_FORM | {"tax_inclusive": ""})
    after = client.get("/console/settings/").content.decode()

    assert '<label for="id_upi_id">UPI ID (optional)</label>' in page
    assert (saved.status_code, saved["Location"]) == (302, "/console/settings/")
    assert "Selling settings saved." in after
    assert 'name="delivery_fee" value="40.00"' in after
    store = Store.objects.get(pk=store_a.pk)
    assert (store.delivery_fee, store.free_delivery_above, store.tax_rate) == (
        D("40.00"), D("499.00"), D("18.00"),
    )  # fmt: skip
    assert (store.tax_inclusive, store.cod_enabled, store.upi_id) == (False, True, "shop@okhdfc")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"upi_id": "shop"}, "upi_id", "'shop' is not a UPI ID: it looks like yourshop@okhdfc."),
        ({"tax_rate": "180"}, "tax_rate",
         "The tax rate is a percentage from 0 to 100, like 18.00."),
        ({"delivery_fee": "forty"}, "delivery_fee", "Enter an amount, like 40 or 49.50."),
        ({"currency": "RUB1"}, "currency", "Pick your currency from the list."),
        ({"cod_enabled": "", "upi_id": ""}, "cod_enabled",
         "Buyers need a way to pay: keep cash on delivery on, or add your UPI ID."),
    ],
)  # fmt: skip
def test_a_bad_selling_setting_is_explained_next_to_it_and_nothing_changes(
    store_a, changes, field, message
):
    answer = console_client(store_a).post("/console/settings/selling", SELLING_FORM | changes)

    assert answer.status_code == 400
    block = answer.content.decode().split(f'for="id_{field}"')[1].split('<div class="field">')[0]
    assert f'<p class="field-error">{escape(message)}</p>' in block
    store = Store.objects.get(pk=store_a.pk)
    assert (store.delivery_fee, store.tax_rate, store.upi_id) == (D("0.00"), D("0.00"), None)


def test_staff_see_the_selling_settings_in_the_store_currency_and_cannot_post(store_a):
    Store.objects.filter(pk=store_a.pk).update(
        currency="USD", delivery_fee=D("4.5"), free_delivery_above=D("1200"), tax_rate=D("5")
    )
    staff = Seller.objects.create_user(mobile="+919800000074", name="Anu")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)
    client = console_client(store_a, seller=staff)

    page = client.get("/console/settings/").content.decode()
    post = client.post("/console/settings/selling", SELLING_FORM)

    assert "<dt>Delivery fee</dt><dd>$4.50, free from $1,200.00</dd>" in page
    assert "<dt>Tax</dt><dd>5 %, included in prices</dd>" in page
    assert "<dt>Payment</dt><dd>Cash on delivery</dd>" in page
    assert post.status_code == 403
    assert Store.objects.get(pk=store_a.pk).upi_id is None
