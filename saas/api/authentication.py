"""How sellers prove who they are; which store they may act in is the permissions' job."""

from rest_framework import authentication, exceptions

from saas.access.jwt import AudienceJWTAuthentication, token_pair
from saas.access.membership import api_token_seller
from saas.access.tokens import key_from_request
from shared_apps.accounts.models import Seller

SELLER_TOKEN_KIND = "seller"


def seller_token_pair(seller: Seller) -> dict:
    # `owner` records the refresh token under the seller, for POST /api/auth/logout-all.
    return token_pair(kind=SELLER_TOKEN_KIND, user_id=seller.pk, owner=seller)


class SellerJWTAuthentication(AudienceJWTAuthentication):
    """`Authorization: Bearer <access>` holding a seller token (kind=seller).

    Another kind of bearer (a store's buyer) is not ours to judge: the next class decides.
    """

    kind = SELLER_TOKEN_KIND
    wrong_kind_message = "The refresh token is not a seller's."

    def principal_for(self, token, request):
        seller = Seller.objects.filter(pk=token.get("user_id"), is_active=True).first()
        if seller is None:
            raise exceptions.AuthenticationFailed("The seller account is unknown.")
        return seller


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`X-API-Token: <key>` or `Authorization: Token <key>`; keys are stored hashed."""

    keyword = "Token"

    def authenticate(self, request):
        key = key_from_request(request)
        if key is None:
            return None
        found = api_token_seller(key=key)
        if found is None:
            raise exceptions.AuthenticationFailed("The API token is invalid or revoked.")
        return found

    def authenticate_header(self, request):
        return self.keyword


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """Browser sessions (made by /login on the same host), with CSRF checks."""
