"""Discount codes in the console (Orders, Discount codes): the list with real values, a new
code, editing and deactivating it; seller-friendly refusals that change nothing; members
only."""

import re
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils.html import escape

from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.orders.discounts import discount_create
from tenant_apps.orders.models import DiscountCode
from tenants.models import Store
from tests.support.console import console_client
from tests.support.stores import in_store, store_host

LIST = "/console/orders/discounts/"
NEW = "/console/orders/discounts/new"
FORM = {"code": "DIWALI10", "kind": "percent", "value": "10", "min_subtotal": "499",
        "starts_at": "2036-10-20T09:00", "ends_at": "", "max_uses": "100",
        "max_uses_per_customer": "1"}  # fmt: skip


def text(response) -> str:
    return response.content.decode()


def cells(page: str, label: str) -> list[str]:
    found = re.findall(rf'<td data-label="{label}"[^>]*>(.*?)</td>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


def codes(store) -> list[tuple]:
    with in_store(store):
        return list(DiscountCode.objects.order_by("code").values_list("code", "value", "is_active"))


@pytest.fixture
def two_codes(store_a):
    with in_store(store_a):
        discount_create(code="FLAT50", kind="amount", value=D("50"), max_uses=10,
                        ends_at=datetime(2036, 1, 31, 18, 30, tzinfo=UTC))  # fmt: skip
        discount_create(code="ASHA10", kind="percent", value=D("12.5"), max_uses=1,
                        max_uses_per_customer=1, only_for_mobile="+919811111111",
                        only_for_email="asha@example.com")  # fmt: skip


def test_the_list_shows_each_code_with_exact_values(store_a, two_codes):
    Store.objects.filter(pk=store_a.pk).update(currency="USD")
    page = text(console_client(store_a).get(LIST))

    assert cells(page, "Code") == ["ASHA10 Only for asha@example.com", "FLAT50"]
    assert cells(page, "Discount") == ["12.50 % off", "$50.00 off"]
    assert cells(page, "Minimum order") == ["None", "None"]
    assert cells(page, "Valid") == ["Always", "until 1 Feb 2036, 00:00"]  # Kolkata time
    assert cells(page, "Uses") == ["0 of 1 1 per customer", "0 of 10"]
    assert cells(page, "Status") == ["Active", "Active"]
    assert '<a href="/console/orders/">Orders</a> \u203a Discount codes' in page


def test_an_empty_list_says_how_to_start(store_a):
    page = text(console_client(store_a).get(LIST))

    assert "No discount codes yet." in page
    assert f'href="{NEW}"' in page


def test_a_new_code_is_created_and_the_seller_told(store_a):
    client = console_client(store_a)

    form = client.get(NEW)
    saved = client.post(NEW, FORM)
    after = text(client.get(LIST))

    assert form.status_code == 200
    assert '<label for="id_code">Code</label>' in text(form)
    assert (saved.status_code, saved["Location"]) == (302, LIST)
    assert "Discount code DIWALI10 created." in after
    with in_store(store_a):
        made = DiscountCode.objects.get()
    assert (made.kind, made.value, made.min_subtotal, made.max_uses) == (
        "percent", D("10.00"), D("499.00"), 100,
    )  # fmt: skip
    # The time typed is the store's (Asia/Kolkata): 09:00 there is 03:30 UTC.
    assert made.starts_at == datetime(2036, 10, 20, 3, 30, tzinfo=UTC)
    assert cells(after, "Status") == ["Scheduled"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": ""}, "code", "Give the code buyers will type, like DIWALI10."),
        ({"code": "two words"}, "code", "A discount code is 1 to 40 letters, digits, '-' or '_'."),
        ({"value": "ten"}, "value", "Enter a number, like 10 or 49.50."),
        ({"value": "150"}, "value", "A percent discount is from 0.01 to 100."),
        ({"max_uses": "0"}, "max_uses",
         "Uses is a whole number from 1, or empty for no limit."),
        ({"max_uses": "lots"}, "max_uses",
         "Enter a whole number, like 100, or leave it empty for no limit."),
        ({"ends_at": "2036-10-19T09:00"}, "ends_at", "The code must end after it starts."),
        ({"starts_at": "soon"}, "starts_at", "Enter a date and time, like 2025-10-20 09:00."),
    ],
)  # fmt: skip
def test_a_bad_code_is_explained_next_to_its_field_and_nothing_is_made(
    store_a, changes, field, message
):
    answer = console_client(store_a).post(NEW, FORM | changes)

    assert answer.status_code == 400
    field_block = text(answer).split(f'for="id_{field}"')[1].split('<div class="field">')[0]
    assert f'<p class="field-error">{escape(message)}</p>' in field_block
    assert "Ensure this value" not in text(answer)
    assert codes(store_a) == []


def test_a_taken_code_is_refused_whatever_its_capitals(store_a, two_codes):
    answer = console_client(store_a).post(NEW, FORM | {"code": "flat50"})

    assert answer.status_code == 400
    assert (
        "The store already has a discount code &#x27;flat50&#x27; (codes ignore capitals)."
        in text(answer)
    )
    assert len(codes(store_a)) == 2


def test_a_code_is_edited(store_a, two_codes):
    client = console_client(store_a)
    with in_store(store_a):
        flat = DiscountCode.objects.get(code="FLAT50")
    path = f"/console/orders/discounts/{flat.pk}/"

    page = text(client.get(path))
    saved = client.post(path, {"code": "FLAT60", "kind": "amount", "value": "60.00",
                               "ends_at": "", "is_active": "on"})  # fmt: skip
    refused = client.post(path, {"code": "FLAT60", "kind": "amount", "value": "60",
                                 "is_active": "on", "min_subtotal": "-1"})  # fmt: skip

    assert 'value="FLAT50"' in page
    assert 'value="2036-02-01T00:00"' in page  # the end, in the store's time
    assert (saved.status_code, saved["Location"]) == (302, LIST)
    assert refused.status_code == 400
    assert "The minimum order is an amount, like 499.00, or empty for none." in text(refused)
    with in_store(store_a):
        flat.refresh_from_db()
    assert (flat.code, flat.value, flat.ends_at, flat.max_uses, flat.min_subtotal) == (
        "FLAT60", D("60.00"), None, None, None,
    )  # fmt: skip


def test_deactivating_stops_the_code_and_says_so(store_a, two_codes):
    client = console_client(store_a)
    with in_store(store_a):
        flat = DiscountCode.objects.get(code="FLAT50")

    answer = client.post(f"/console/orders/discounts/{flat.pk}/deactivate")
    page = text(client.get(LIST))

    assert (answer.status_code, answer["Location"]) == (302, LIST)
    assert "Discount code FLAT50 deactivated: buyers can no longer use it." in page
    assert cells(page, "Status") == ["Active", "Inactive"]
    assert codes(store_a) == [("ASHA10", D("12.50"), True), ("FLAT50", D("50.00"), False)]


def test_staff_manage_codes_too(store_a):
    staff = Seller.objects.create_user(mobile="+919800000073", name="Mira")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)

    answer = console_client(store_a, seller=staff).post(NEW, FORM)

    assert answer.status_code == 302
    assert [code for code, _, _ in codes(store_a)] == ["DIWALI10"]


def test_another_stores_seller_is_refused_and_anonymous_sent_to_sign_in(
    store_a, store_b, two_codes
):
    with in_store(store_a):
        flat = DiscountCode.objects.get(code="FLAT50")
    b_seller_on_a = Client(HTTP_HOST=store_host(store_a))
    with in_store(store_a):
        b_seller_on_a.force_login(store_b.owner)
    anonymous = Client(HTTP_HOST=store_host(store_a))

    answers = [b_seller_on_a.get(LIST), b_seller_on_a.post(NEW, FORM),
               b_seller_on_a.post(f"/console/orders/discounts/{flat.pk}/deactivate")]  # fmt: skip
    sign_in = anonymous.get(LIST)

    assert [a.status_code for a in answers] == [403, 403, 403]
    assert all("FLAT50" not in text(a) for a in answers)
    assert sign_in.status_code == 302 and "/login" in sign_in["Location"]
    assert len(codes(store_a)) == 2


def test_a_code_of_no_such_id_is_not_found(store_a):
    assert console_client(store_a).get("/console/orders/discounts/999/").status_code == 404


def test_settings_pages_show_amounts_in_the_store_currency(store_a, two_codes):
    Store.objects.filter(pk=store_a.pk).update(currency="EUR")

    page = text(console_client(store_a).get(LIST))

    assert "€50.00 off" in page
    assert "Amounts are in EUR." in text(console_client(store_a).get(NEW))
