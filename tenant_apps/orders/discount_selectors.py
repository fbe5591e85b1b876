"""Reads of discount codes: the seller's list, one code, and what a code's state is now.

`discount_get` raises the tool's 404; `discount_find` returns None.
"""

from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .errors import OrdersError, OrdersErrorCode
from .models import Customer, DiscountCode, DiscountUse

CODE_MAX_LENGTH = 40


class DiscountState:
    """What a code is now, in the seller's words (the console's Status column)."""

    ACTIVE = "active"
    SCHEDULED = "scheduled"
    EXPIRED = "expired"
    USED_UP = "used up"
    INACTIVE = "inactive"


def discount_list() -> QuerySet[DiscountCode]:
    """Every code of the store, newest first."""
    return DiscountCode.objects.order_by("-created_at", "-id")


def discount_get(*, discount_id: int) -> DiscountCode:
    discount = DiscountCode.objects.filter(pk=discount_id).first()
    if discount is None:
        raise OrdersError("No such discount code.", code=OrdersErrorCode.DISCOUNT_NOT_FOUND)
    return discount


def discount_find(*, code: str) -> DiscountCode | None:
    """The code a buyer typed, whatever its case and surrounding spaces; None if unknown."""
    text = code.strip() if isinstance(code, str) else ""
    if not text or len(text) > CODE_MAX_LENGTH:
        return None
    return DiscountCode.objects.filter(code__iexact=text).first()


def discount_used_up(discount: DiscountCode) -> bool:
    return discount.max_uses is not None and discount.uses_count >= discount.max_uses


def discount_state(discount: DiscountCode, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if not discount.is_active:
        return DiscountState.INACTIVE
    if discount.ends_at is not None and now >= discount.ends_at:
        return DiscountState.EXPIRED
    if discount_used_up(discount):
        return DiscountState.USED_UP
    if discount.starts_at is not None and now < discount.starts_at:
        return DiscountState.SCHEDULED
    return DiscountState.ACTIVE


def discount_codes_usable(*, now: datetime | None = None) -> QuerySet[DiscountCode]:
    """Codes a buyer could use now or later: active, not ended, not used up (the conversations
    tool offers its client's code in `{{ discountCode }}` only while it is one of these)."""
    now = now or timezone.now()
    return DiscountCode.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        Q(max_uses__isnull=True) | Q(uses_count__lt=F("max_uses")),
        is_active=True,
    )


def discount_customer_uses(*, discount: DiscountCode, customer: Customer) -> int:
    return DiscountUse.objects.filter(discount=discount, customer=customer).count()
