"""Discount codes: the seller's API, the rules a buyer's code is checked by, and the last use
of a code raced by several buyers at once."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection, connections

from saas.api.authentication import seller_token_pair
from saas.api.errors import ApplicationError
from tenant_apps.orders.discounts import (
    discount_check,
    discount_create,
    discount_pricing,
    discount_redeem,
)
from tenant_apps.orders.models import Customer, DiscountCode, DiscountUse, Order
from tenant_apps.orders.pricing import PricingRules, totals_compute
from tests.support.stores import api_client, in_store, store_host

NOW = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)  # 12:00 in Kolkata


def _error(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def _order(customer: Customer, total: str = "100.00") -> Order:
    return Order.objects.create(
        customer=customer, total=D(total), address_line1="1 Road", address_city="Pune",
        address_pincode="411001", address_phone="+919811111111",
    )  # fmt: skip


@pytest.fixture
def buyer(store_a) -> Customer:
    with in_store(store_a):
        return Customer.objects.create(mobile="+919811111111")


# --- the seller's API -------------------------------------------------------------------


def test_a_code_is_created_read_listed_and_shown_with_two_decimals(client_a):
    created = client_a.post(
        "/api/discounts",
        {"code": "Diwali10", "kind": "percent", "value": "10", "min_subtotal": 499,
         "starts_at": "2036-10-20", "ends_at": "2036-11-05T23:59:00+05:30", "max_uses": 100,
         "max_uses_per_customer": 1},
        format="json",
    )  # fmt: skip

    assert created.status_code == 201
    body = created.json()
    assert {k: v for k, v in body.items() if k not in ("id", "created_at")} == {
        "code": "Diwali10", "kind": "percent", "value": "10.00", "min_subtotal": "499.00",
        # A date without a time is midnight in the store's timezone (alpha: Asia/Kolkata).
        "starts_at": "2036-10-19T18:30:00Z", "ends_at": "2036-11-05T18:29:00Z",
        "max_uses": 100, "max_uses_per_customer": 1, "uses": 0, "active": True,
        "state": "scheduled", "only_for": None,
    }  # fmt: skip
    assert client_a.get(f"/api/discounts/{body['id']}").json() == body
    listed = client_a.get("/api/discounts").json()
    assert (listed["count"], listed["results"]) == (1, [body])


def test_codes_are_unique_whatever_their_capitals(client_a):
    client_a.post("/api/discounts", {"code": "SAVE50", "kind": "amount", "value": "50"})

    again = client_a.post("/api/discounts", {"code": " save50 ", "kind": "amount", "value": "5"})

    assert (again.status_code, again.json()["code"]) == (409, "discount_code_taken")
    assert again.json()["error"] == (
        "The store already has a discount code 'save50' (codes ignore capitals)."
    )
    assert client_a.get("/api/discounts").json()["count"] == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"code": "no spaces", "kind": "percent", "value": "5"}, "invalid_discount_code"),
        ({"code": "X" * 41, "kind": "percent", "value": "5"}, "invalid_discount_code"),
        ({"code": "OK1", "kind": "half", "value": "5"}, "invalid_discount_kind"),
        ({"code": "OK1", "kind": "percent", "value": "100.01"}, "invalid_discount_value"),
        ({"code": "OK1", "kind": "percent", "value": "0"}, "invalid_discount_value"),
        ({"code": "OK1", "kind": "amount", "value": "-1"}, "invalid_discount_value"),
        ({"code": "OK1", "kind": "amount", "value": "1.005"}, "invalid_discount_value"),
        ({"code": "OK1", "kind": "amount", "value": "1e9"}, "invalid_discount_value"),
        ({"code": "OK1", "kind": "amount", "value": "NaN"}, "invalid"),
        ({"code": "OK1", "kind": "amount", "value": "5", "min_subtotal": "-3"},
         "invalid_min_subtotal"),
        ({"code": "OK1", "kind": "amount", "value": "5", "starts_at": "2030-01-02",
          "ends_at": "2030-01-01"}, "invalid_discount_dates"),
        ({"code": "OK1", "kind": "amount", "value": "5", "ends_at": "2001-01-01"},
         "invalid_discount_dates"),
        ({"code": "OK1", "kind": "amount", "value": "5", "ends_at": "99999-01-01"}, "invalid"),
        ({"code": "OK1", "kind": "amount", "value": "5", "max_uses": 0}, "invalid_max_uses"),
        ({"code": "OK1", "kind": "amount", "value": "5", "max_uses": 2**40},
         "invalid_max_uses"),
        ({"code": "OK1", "kind": "amount", "value": "5", "max_uses_per_customer": -1},
         "invalid_max_uses_per_customer"),
        ({"kind": "amount", "value": "5"}, "required"),
    ],
)  # fmt: skip
def test_bad_codes_are_refused_with_their_reason_and_nothing_is_made(client_a, body, code):
    answer = client_a.post("/api/discounts", body, format="json")

    assert (answer.status_code, answer.json()["code"]) == (400, code)
    assert client_a.get("/api/discounts").json()["count"] == 0


def test_patch_changes_only_what_it_names_and_checks_the_result(client_a):
    made = client_a.post("/api/discounts", {"code": "TEA", "kind": "amount", "value": "30"})
    path = f"/api/discounts/{made.json()['id']}"

    changed = client_a.patch(path, {"value": "35.5", "active": False}, format="json")
    refused = client_a.patch(path, {"kind": "percent"}, format="json")  # 35.50 % is fine
    too_much = client_a.patch(path, {"value": "101", "kind": "percent"}, format="json")

    assert changed.status_code == 200
    assert (changed.json()["value"], changed.json()["active"]) == ("35.50", False)
    assert changed.json()["state"] == "inactive"
    assert refused.json()["kind"] == "percent"
    assert (too_much.status_code, too_much.json()["code"]) == (400, "invalid_discount_value")
    assert client_a.get(path).json()["value"] == "35.50"


def test_an_unused_code_is_deleted_and_a_used_one_is_deactivated(client_a, store_a, buyer):
    unused = client_a.post("/api/discounts", {"code": "GONE", "kind": "amount", "value": "1"})
    used = client_a.post("/api/discounts", {"code": "KEPT", "kind": "amount", "value": "1"})
    with in_store(store_a):
        code = DiscountCode.objects.get(code="KEPT")
        discount_redeem(code_obj=code, customer=buyer, order=_order(buyer))

    deleted = client_a.delete(f"/api/discounts/{unused.json()['id']}")
    kept = client_a.delete(f"/api/discounts/{used.json()['id']}")

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert kept.status_code == 200
    assert (kept.json()["active"], kept.json()["uses"]) == (False, 1)
    assert client_a.get(f"/api/discounts/{unused.json()['id']}").status_code == 404
    assert [d["code"] for d in client_a.get("/api/discounts").json()["results"]] == ["KEPT"]


def test_another_stores_seller_cannot_see_or_change_codes(client_a, store_a, seller_b):
    made = client_a.post("/api/discounts", {"code": "ALPHAONLY", "kind": "amount", "value": "9"})
    path = f"/api/discounts/{made.json()['id']}"
    b_on_a = api_client(store_host(store_a), jwt=seller_token_pair(seller_b)["access"])

    answers = [b_on_a.get("/api/discounts"), b_on_a.get(path),
               b_on_a.patch(path, {"value": "1"}, format="json"), b_on_a.delete(path)]  # fmt: skip

    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert all("ALPHAONLY" not in a.content.decode() for a in answers)
    assert client_a.get(path).json()["value"] == "9.00"


def test_buyers_and_anonymous_callers_are_refused(anon_client_a):
    assert anon_client_a.get("/api/discounts").status_code == 401
    assert anon_client_a.post("/api/discounts", {}).status_code == 401


# --- the rules ----------------------------------------------------------------------------


def _code(**fields) -> DiscountCode:
    defaults = {"code": "RULE", "kind": "percent", "value": D("10"), "now": NOW - timedelta(1)}
    return discount_create(**(defaults | fields))


def test_a_valid_code_gives_its_discount_in_the_totals(store_a):
    with in_store(store_a):
        _code(code="Ten", min_subtotal=D("200.00"))

        found = discount_check(code="  tEN ", subtotal=D("200.00"), now=NOW)
        totals = totals_compute(
            [D("150.00"), D("50.00")], PricingRules(tax_rate=D("18")), discount_pricing(found)
        )

    assert found.code == "Ten"
    assert totals.as_strings() == {
        "subtotal": "200.00", "discount": "20.00", "delivery_fee": "0.00", "tax": "27.46",
        "total": "180.00", "currency": "INR",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"code": "OTHER"}, "discount_invalid",
         "There is no such discount code: check its spelling."),
        ({"starts_at": NOW + timedelta(hours=1)}, "discount_invalid",
         "This discount code can be used from 10 Mar 2026, 13:00."),
        ({"ends_at": NOW}, "discount_expired", "This discount code ended on 10 Mar 2026, 12:00."),
        ({"max_uses": 1, "used": 1}, "discount_exhausted", "This discount code has been used up."),
        ({"min_subtotal": D("500.00")}, "discount_min_subtotal",
         "This discount code needs an order of at least 500.00: add 100.01 more."),
    ],
)  # fmt: skip
def test_each_refusal_names_its_reason(store_a, buyer, fields, code, message):
    used = fields.pop("used", 0)
    typed = fields.pop("code", "RULE")
    with in_store(store_a):
        made = _code(**fields)
        for _ in range(used):
            discount_redeem(code_obj=made, customer=buyer, order=_order(buyer), now=NOW)

        error = _error(lambda: discount_check(code=typed, subtotal=D("399.99"), now=NOW))

    assert (error.code, error.status_code, error.message) == (code, 400, message)


def test_the_minimum_subtotal_is_reached_at_exactly_its_amount(store_a):
    with in_store(store_a):
        _code(min_subtotal=D("500.00"))
        error = _error(lambda: discount_check(code="RULE", subtotal=D("499.99"), now=NOW))
        assert discount_check(code="RULE", subtotal=D("500.00"), now=NOW).code == "RULE"

    assert error.details == {"min_subtotal": "500.00", "short_by": "0.01"}


def test_a_deactivated_code_is_invalid(store_a):
    with in_store(store_a):
        DiscountCode.objects.filter(pk=_code().pk).update(is_active=False)
        error = _error(lambda: discount_check(code="RULE", subtotal=D("10"), now=NOW))

    assert (error.code, error.message) == (
        "discount_invalid",
        "This discount code is no longer valid.",
    )


def test_a_code_for_one_client_is_theirs_only_and_once(store_a, buyer):
    with in_store(store_a):
        made = _code(only_for_mobile="+919811111111", only_for_email="asha@example.com",
                     max_uses=1, max_uses_per_customer=1)  # fmt: skip
        stranger = Customer.objects.create(mobile="+919822222222")

        anonymous = discount_check(code="RULE", subtotal=D("10"), now=NOW)  # checked at placing
        not_yours = _error(
            lambda: discount_check(code="RULE", subtotal=D("10"), customer=stranger, now=NOW)
        )
        redeem_not_yours = _error(
            lambda: discount_redeem(code_obj=made, customer=stranger, order=_order(stranger))
        )
        theirs = discount_check(code="RULE", subtotal=D("10"), customer=buyer, now=NOW)
        discount_redeem(code_obj=theirs, customer=buyer, order=_order(buyer), now=NOW)
        again = _error(
            lambda: discount_check(code="RULE", subtotal=D("10"), customer=buyer, now=NOW)
        )

    assert anonymous.pk == made.pk
    assert (not_yours.code, not_yours.status_code) == ("discount_not_yours", 400)
    assert not_yours.message == "This discount code was given to another customer."
    assert redeem_not_yours.code == "discount_not_yours"
    assert (again.code, again.message) == (
        "discount_exhausted",
        "This discount code has been used up.",
    )


def test_uses_per_customer_count_that_customers_orders(store_a, buyer):
    with in_store(store_a):
        made = _code(max_uses_per_customer=2)
        other = Customer.objects.create(mobile="+919833333333")
        for _ in range(2):
            discount_redeem(code_obj=made, customer=buyer, order=_order(buyer), now=NOW)

        mine = _error(lambda: discount_check(code="RULE", subtotal=D("1"), customer=buyer, now=NOW))
        late = _error(lambda: discount_redeem(code_obj=made, customer=buyer, order=_order(buyer)))
        theirs = discount_check(code="RULE", subtotal=D("1"), customer=other, now=NOW)
        made.refresh_from_db()

    assert (mine.code, mine.message) == (
        "discount_exhausted",
        "You have already used this discount code 2 times.",
    )
    assert (late.code, late.status_code) == ("discount_used_up", 409)
    assert theirs.pk == made.pk
    assert made.uses_count == 2


# --- the last use, raced ------------------------------------------------------------------


def _race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # counted by the assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_racing_buyers_never_pass_the_last_uses_of_a_code(make_store):
    store = make_store("Race discounts")
    racers = 6
    with in_store(store):
        code = discount_create(code="LAST2", kind="amount", value=D("25"), max_uses=2)
        buyers = [Customer.objects.create(mobile=f"+91981111120{n}") for n in range(racers)]
        orders = [_order(customer) for customer in buyers]
    connection.set_schema_to_public()

    def redeem(customer, order):
        def call():
            with in_store(store):
                return discount_redeem(code_obj=code, customer=customer, order=order)

        return call

    results = _race([redeem(c, o) for c, o in zip(buyers, orders, strict=True)])

    won = [r for r in results if isinstance(r, DiscountUse)]
    lost = [r for r in results if isinstance(r, ApplicationError)]
    assert (len(won), len(lost)) == (2, racers - 2), results
    assert {(e.code, e.status_code) for e in lost} == {("discount_used_up", 409)}
    with in_store(store):
        assert DiscountCode.objects.get(pk=code.pk).uses_count == 2
        assert DiscountUse.objects.filter(discount=code).count() == 2
