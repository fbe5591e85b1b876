"""A client's discount codes: store discount codes (the orders tool's) for that client alone.

The code, its value and its uses are the orders tool's (`orders.DiscountCode`, limited to the
client's mobile and e-mail and to one use, so only that customer can use it, once); the
conversations row (`DiscountCode`) says which client got it. `{{ discountCode }}` is the
client's newest code a buyer can still use (selectors.client_discount_code).
"""

from decimal import Decimal

from django.db import transaction

from tenant_apps.orders.discounts import discount_create, discount_update
from tenant_apps.orders.models import DiscountCode as StoreDiscountCode

from .models import Client, DiscountCode

# 10 % off unless the caller (the API's optional `kind` and `value`) says otherwise; the
# seller can change it on the console's Discounts page.
CLIENT_CODE_DEFAULT_KIND = StoreDiscountCode.Kind.PERCENT
CLIENT_CODE_DEFAULT_VALUE = Decimal("10.00")


@transaction.atomic
def discount_code_set(
    *,
    client: Client,
    code: str,
    kind: str = CLIENT_CODE_DEFAULT_KIND,
    value: Decimal = CLIENT_CODE_DEFAULT_VALUE,
) -> DiscountCode:
    """Give the client a store discount code only they can use, once; their previous codes are
    deactivated. Giving them a code they already had makes it active again."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    given = DiscountCode.objects.filter(client=client)
    current = given.filter(discount__code__iexact=code.strip() if isinstance(code, str) else "")
    link = current.select_related("discount").first()
    for older in given.exclude(pk=getattr(link, "pk", None)).select_related("discount"):
        if older.discount.is_active:
            discount_update(discount=older.discount, is_active=False)
    if link is not None:
        discount_update(discount=link.discount, is_active=True)
        return DiscountCode.objects.select_related("discount").get(pk=link.pk)
    store_code = discount_create(
        code=code,
        kind=kind,
        value=value,
        max_uses=1,
        max_uses_per_customer=1,
        only_for_mobile=client.mobile,
        only_for_email=client.email,
    )
    return DiscountCode.objects.create(client=client, discount=store_code)
