"""Share links of the chart pages: read-only keys a seller hands out and revokes.

A share key opens `/users/<key>/repos` (and the repository pages under it) of this store, for
the seller who made it, while that seller is still a member; nowhere else is it a credential.
"""

from django.db import transaction
from django.db.models import QuerySet

from saas.access.membership import seller_membership
from shared_apps.accounts.models import Seller

from .errors import TrafficError, TrafficErrorCode
from .models import ShareToken

# Longer strings are no key of ours; refused before any hashing or query.
SHARE_KEY_MAX_LENGTH = 200


def share_token_url(*, store_link: str, key: str) -> str:
    """The chart link a share key opens: `<store link>users/<key>/repos`."""
    return f"{store_link}users/{key}/repos"


@transaction.atomic
def share_token_create(*, seller: Seller, name: str) -> tuple[ShareToken, str]:
    """A new share link and its key; the key is returned once, only its hash is stored."""
    token, key = ShareToken.new_with_key(seller=seller, name=name.strip()[:100])
    token.save()
    return token, key


def share_token_list(*, seller: Seller) -> QuerySet[ShareToken]:
    return ShareToken.objects.filter(seller=seller).order_by("-created_at", "-id")


@transaction.atomic
def share_token_revoke(*, seller: Seller, token_id: int) -> None:
    """Delete the seller's share link: from now on it gives 404."""
    deleted, _ = ShareToken.objects.filter(seller=seller, pk=token_id).delete()
    if not deleted:
        raise TrafficError(
            "You have no such share link.", code=TrafficErrorCode.SHARE_TOKEN_NOT_FOUND
        )


def share_token_seller(*, key: str, store_id: int) -> Seller | None:
    """The seller whose share link `key` is, while they are an active member of this store
    (its use recorded); None for any other key."""
    if not key or len(key) > SHARE_KEY_MAX_LENGTH:
        return None
    token = ShareToken.lookup(key)
    if token is None:
        return None
    seller = Seller.objects.filter(pk=token.seller_id, is_active=True).first()
    if seller is None or seller_membership(seller=seller, store_id=store_id) is None:
        return None
    token.touch()
    return seller
