"""Which store a request is in, and the caller's membership there (the one resolver)."""

from django.conf import settings

from shared_apps.accounts.models import ApiToken, Seller, StoreMembership


def request_is_platform(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME


def seller_membership(*, seller, store_id: int) -> StoreMembership | None:
    if not isinstance(seller, Seller) or not seller.is_active:
        return None
    return StoreMembership.objects.filter(store_id=store_id, seller_id=seller.pk).first()


def request_membership(request) -> StoreMembership | None:
    """The caller's membership in the store of this host (looked up once per request).

    None on the platform host, for anonymous callers and for sellers of other stores.
    """
    if not hasattr(request, "_store_membership"):
        membership = None
        if not request_is_platform(request):
            membership = seller_membership(
                seller=getattr(request, "user", None), store_id=request.tenant.pk
            )
        request._store_membership = membership
    return request._store_membership


def api_token_seller(*, key: str) -> tuple[Seller, ApiToken] | None:
    """The active seller holding API token `key`, and the token (its use recorded)."""
    token = ApiToken.lookup(
        key, ApiToken.objects.select_related("seller").filter(seller__is_active=True)
    )
    if token is None:
        return None
    token.touch()
    return token.seller, token


def api_token_member(*, key: str, store_id: int) -> Seller | None:
    """The seller whose API token is `key`, if they are a member of store `store_id`."""
    found = api_token_seller(key=key)
    if found is None:
        return None
    seller, _ = found
    return seller if seller_membership(seller=seller, store_id=store_id) else None
