from django.db.models import Q, QuerySet

from .models import ApiToken, Seller, StoreMembership


def api_token_list(*, seller: Seller) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(seller=seller).order_by("-created_at")


def membership_list(*, seller: Seller) -> QuerySet[StoreMembership]:
    return (
        StoreMembership.objects.filter(seller=seller)
        .select_related("store")
        .prefetch_related("store__domains")
        .order_by("store__name")
    )


def seller_is_verified(*, seller_id: int | None) -> bool:
    """Whether the seller proved a mobile (a code) or an e-mail address (a link); read fresh,
    so a store's mail goes from the first dispatch after the owner verifies."""
    if seller_id is None:
        return False
    return (
        Seller.objects.filter(pk=seller_id, is_active=True)
        .filter(Q(email_verified_at__isnull=False) | Q(mobile_verified_at__isnull=False))
        .exists()
    )
