"""Discount codes: the seller's writes, and the two calls checkout makes.

* `discount_create` / `discount_update` / `discount_delete`: the seller's codes (a used code is
  deactivated, never deleted: orders point at their use of it).
* `discount_check(code=, subtotal=, customer=)`: may this buyer use this code on this subtotal?
  The code, or a 400 naming why not. Without a customer (an anonymous cart) the rules about the
  customer (only for one client, uses per customer) wait for `discount_redeem`.
* `discount_redeem(code_obj=, customer=, order=)`: inside the order's transaction, records the
  use under the code's row lock (SELECT ... FOR UPDATE), so racing buyers never pass
  `max_uses`; the one who comes too late gets 409 `discount_used_up`.
"""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from saas.access.timezone import current_store_timezone

from .discount_selectors import (
    CODE_MAX_LENGTH,
    discount_customer_uses,
    discount_find,
    discount_used_up,
)
from .errors import OrdersError, OrdersErrorCode
from .models import Customer, DiscountCode, DiscountUse, Order
from .pricing import Discount

Code = OrdersErrorCode
CODE_PATTERN = re.compile(rf"^[A-Za-z0-9_-]{{1,{CODE_MAX_LENGTH}}}$")
MONEY_MAX = Decimal("99999999.99")
USES_MAX = 2_147_483_647  # PostgreSQL integer
# The fields a seller sets; `is_active` too when editing.
EDITABLE = ("code", "kind", "value", "min_subtotal", "starts_at", "ends_at", "max_uses",
            "max_uses_per_customer", "is_active")  # fmt: skip


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _moment(moment: datetime) -> str:
    return timezone.localtime(moment, current_store_timezone()).strftime("%d %b %Y, %H:%M")


def _code_clean(code) -> str:
    text = code.strip() if isinstance(code, str) else ""
    if not CODE_PATTERN.fullmatch(text):
        raise OrdersError(
            f"A discount code is 1 to {CODE_MAX_LENGTH} letters, digits, '-' or '_'.",
            code=Code.INVALID_DISCOUNT_CODE,
        )
    return text


def _amount(value, *, least: Decimal, most: Decimal, message: str, code: Code) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or not least <= amount <= most:
        raise OrdersError(message, code=code)
    if amount != amount.quantize(Decimal("0.01")):
        raise OrdersError(f"{message} Use at most two decimals.", code=code)
    return amount.quantize(Decimal("0.01"))


def _uses(value, *, code: Code, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= USES_MAX:
        raise OrdersError(f"{what} is a whole number from 1, or empty for no limit.", code=code)
    return value


def _value_check(kind: str, value) -> Decimal:
    if kind == DiscountCode.Kind.PERCENT:
        most, message = Decimal("100"), "A percent discount is from 0.01 to 100."
    else:
        most, message = MONEY_MAX, "An amount off is above 0, like 50.00."
    return _amount(
        value, least=Decimal("0.01"), most=most, message=message, code=Code.INVALID_DISCOUNT_VALUE
    )


def _fields_check(fields: dict, *, uses_count: int) -> dict:
    """The code's fields after a create or an edit, checked together (a kind and its value,
    the start and the end)."""
    fields["code"] = _code_clean(fields["code"])
    if fields["kind"] not in DiscountCode.Kind.values:
        raise OrdersError("A discount is 'percent' or 'amount'.", code=Code.INVALID_DISCOUNT_KIND)
    fields["value"] = _value_check(fields["kind"], fields["value"])
    if fields["min_subtotal"] is not None:
        fields["min_subtotal"] = _amount(
            fields["min_subtotal"], least=Decimal("0"), most=MONEY_MAX,
            message="The minimum order is an amount, like 499.00, or empty for none.",
            code=Code.INVALID_MIN_SUBTOTAL,
        )  # fmt: skip
    starts_at, ends_at = fields["starts_at"], fields["ends_at"]
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise OrdersError("The code must end after it starts.", code=Code.INVALID_DISCOUNT_DATES)
    fields["max_uses"] = _uses(fields["max_uses"], code=Code.INVALID_MAX_USES, what="Uses")
    if fields["max_uses"] is not None and fields["max_uses"] < uses_count:
        raise OrdersError(
            f"The code has been used {uses_count} times already; the limit cannot be lower.",
            code=Code.INVALID_MAX_USES,
        )
    fields["max_uses_per_customer"] = _uses(
        fields["max_uses_per_customer"],
        code=Code.INVALID_MAX_USES_PER_CUSTOMER,
        what="Uses per customer",
    )
    return fields


def _code_taken(code: str) -> OrdersError:
    return OrdersError(
        f"The store already has a discount code {code!r} (codes ignore capitals).",
        code=Code.DISCOUNT_CODE_TAKEN,
    )


def _saved(discount: DiscountCode) -> DiscountCode:
    if DiscountCode.objects.filter(code__iexact=discount.code).exclude(pk=discount.pk).exists():
        raise _code_taken(discount.code)
    try:
        with transaction.atomic():
            discount.save()
    except IntegrityError as error:  # the same code made at the same moment
        raise _code_taken(discount.code) from error
    return discount


@transaction.atomic
def discount_create(
    *,
    code: str,
    kind: str,
    value: Decimal,
    min_subtotal: Decimal | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    max_uses: int | None = None,
    max_uses_per_customer: int | None = None,
    only_for_mobile: str = "",
    only_for_email: str = "",
    now: datetime | None = None,
) -> DiscountCode:
    fields = _fields_check(
        {"code": code, "kind": kind, "value": value, "min_subtotal": min_subtotal,
         "starts_at": starts_at, "ends_at": ends_at, "max_uses": max_uses,
         "max_uses_per_customer": max_uses_per_customer},
        uses_count=0,
    )  # fmt: skip
    if ends_at is not None and ends_at <= _now(now):
        raise OrdersError(
            "The end is in the past: a new code needs an end date still to come.",
            code=Code.INVALID_DISCOUNT_DATES,
        )
    discount = DiscountCode(
        **fields, only_for_mobile=only_for_mobile, only_for_email=only_for_email.lower()
    )
    return _saved(discount)


@transaction.atomic
def discount_update(*, discount: DiscountCode, **changes) -> DiscountCode:
    """Change any of EDITABLE; the others keep their values. Orders already placed keep the
    discount they got (they hold their own copy of the totals)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    discount = DiscountCode.objects.select_for_update().get(pk=discount.pk)
    fields = {name: getattr(discount, name) for name in EDITABLE} | changes
    is_active = bool(fields.pop("is_active"))
    for name, value in _fields_check(fields, uses_count=discount.uses_count).items():
        setattr(discount, name, value)
    discount.is_active = is_active
    return _saved(discount)


@transaction.atomic
def discount_delete(*, discount: DiscountCode) -> bool:
    """Delete an unused code (True); a used one is deactivated instead (False)."""
    discount = DiscountCode.objects.select_for_update().get(pk=discount.pk)
    if discount.uses_count or DiscountUse.objects.filter(discount=discount).exists():
        if discount.is_active:
            discount.is_active = False
            discount.save(update_fields=["is_active", "updated_at"])
        return False
    discount.delete()
    return True


def discount_is_for(discount: DiscountCode, customer: Customer) -> bool:
    """Whether a code limited to one person is this customer's (by mobile, or by e-mail once
    customers have one); a code for everyone is everyone's."""
    if not discount.only_for_mobile and not discount.only_for_email:
        return True
    if discount.only_for_mobile and customer.mobile == discount.only_for_mobile:
        return True
    email = (getattr(customer, "email", "") or "").strip().lower()
    return bool(discount.only_for_email and email == discount.only_for_email.lower())


def _rules_check(
    discount: DiscountCode, *, customer: Customer | None, now: datetime, used_up: Code
) -> None:
    """Every rule but the minimum subtotal; `used_up` is the code of a spent code (400 at
    the cart, 409 when the order finds it spent meanwhile)."""
    if not discount.is_active:
        raise OrdersError("This discount code is no longer valid.", code=Code.DISCOUNT_INVALID)
    if discount.starts_at is not None and now < discount.starts_at:
        raise OrdersError(
            f"This discount code can be used from {_moment(discount.starts_at)}.",
            code=Code.DISCOUNT_INVALID,
            details={"starts_at": discount.starts_at.isoformat()},
        )
    if discount.ends_at is not None and now >= discount.ends_at:
        raise OrdersError(
            f"This discount code ended on {_moment(discount.ends_at)}.",
            code=Code.DISCOUNT_EXPIRED,
            details={"ends_at": discount.ends_at.isoformat()},
        )
    if customer is not None and not discount_is_for(discount, customer):
        raise OrdersError(
            "This discount code was given to another customer.", code=Code.DISCOUNT_NOT_YOURS
        )
    if discount_used_up(discount):
        raise OrdersError("This discount code has been used up.", code=used_up)
    limit = discount.max_uses_per_customer
    if (
        customer is not None
        and limit is not None
        and discount_customer_uses(discount=discount, customer=customer) >= limit
    ):
        times = "once" if limit == 1 else f"{limit} times"
        raise OrdersError(f"You have already used this discount code {times}.", code=used_up)


def discount_check(
    *,
    code: str,
    subtotal: Decimal,
    customer: Customer | None = None,
    now: datetime | None = None,
) -> DiscountCode:
    """The code if it applies to this subtotal (and customer, when known); else a 400 with
    `discount_invalid`, `discount_expired`, `discount_exhausted`, `discount_min_subtotal` or
    `discount_not_yours`. Reads only: the use is recorded by `discount_redeem`."""
    discount = discount_find(code=code)
    if discount is None:
        raise OrdersError(
            "There is no such discount code: check its spelling.", code=Code.DISCOUNT_INVALID
        )
    _rules_check(discount, customer=customer, now=_now(now), used_up=Code.DISCOUNT_EXHAUSTED)
    minimum = discount.min_subtotal
    if minimum is not None and Decimal(subtotal) < minimum:
        short_by = minimum - Decimal(subtotal)
        raise OrdersError(
            f"This discount code needs an order of at least {minimum:.2f}: add {short_by:.2f} "
            "more.",
            code=Code.DISCOUNT_MIN_SUBTOTAL,
            details={"min_subtotal": f"{minimum:.2f}", "short_by": f"{short_by:.2f}"},
        )
    return discount


@transaction.atomic
def discount_redeem(
    *,
    code_obj: DiscountCode,
    customer: Customer,
    order: Order,
    now: datetime | None = None,
) -> DiscountUse:
    """Record that `order` used the code. Call it inside the order's transaction, after
    `discount_check`: the row lock is held until that transaction ends, so the next buyer of
    the same code waits and then sees this use. 409 `discount_used_up` when the code (or this
    customer's share of it) was used up meanwhile; the other rules are checked again too."""
    discount = DiscountCode.objects.select_for_update().get(pk=code_obj.pk)
    _rules_check(discount, customer=customer, now=_now(now), used_up=Code.DISCOUNT_USED_UP)
    use = DiscountUse.objects.create(discount=discount, customer=customer, order=order)
    DiscountCode.objects.filter(pk=discount.pk).update(uses_count=F("uses_count") + 1)
    code_obj.uses_count = discount.uses_count + 1
    return use


def discount_pricing(discount: DiscountCode) -> Discount:
    """The code as `pricing.totals_compute` takes it."""
    return Discount(kind=discount.kind, value=Decimal(discount.value))
