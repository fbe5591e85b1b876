from django.db.models import QuerySet

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
