"""How sellers prove who they are; which store they may act in is the permissions' job."""

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from shared_apps.accounts.models import ApiToken, Seller, api_token_hash

SELLER_TOKEN_KIND = "seller"


def seller_token_pair(seller: Seller) -> dict:
    refresh = RefreshToken.for_user(seller)
    # "kind" keeps a seller token from ever passing for a store's buyer token and back.
    refresh["kind"] = SELLER_TOKEN_KIND
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class SellerJWTAuthentication(JWTAuthentication):
    """`Authorization: Bearer <access>` holding a seller token (kind=seller)."""

    def authenticate(self, request):
        header = self.get_header(request)
        if header is None:
            return None
        raw_token = self.get_raw_token(header)
        if raw_token is None:
            return None
        try:
            validated = self.get_validated_token(raw_token)
        except InvalidToken as error:
            raise exceptions.AuthenticationFailed(
                "The access token is invalid or expired."
            ) from error
        if validated.get("kind") != SELLER_TOKEN_KIND:
            return None  # another kind of bearer token (a store's buyer); not ours to judge
        try:
            seller = Seller.objects.get(pk=validated["user_id"], is_active=True)
        except (Seller.DoesNotExist, KeyError, TokenError) as error:
            raise exceptions.AuthenticationFailed("The seller account is unknown.") from error
        return seller, validated


def api_token_from_request(request) -> str | None:
    key = request.headers.get("X-API-Token")
    if key:
        return key.strip()
    parts = request.headers.get("Authorization", "").split()
    if len(parts) == 2 and parts[0].lower() == "token":
        return parts[1]
    return None


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`X-API-Token: <key>` or `Authorization: Token <key>`; keys are stored hashed."""

    keyword = "Token"

    def authenticate(self, request):
        key = api_token_from_request(request)
        if key is None:
            return None
        token = (
            ApiToken.objects.select_related("seller")
            .filter(key_hash=api_token_hash(key), seller__is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("The API token is invalid or revoked.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.seller, token

    def authenticate_header(self, request):
        return self.keyword


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """Browser sessions (made by /login on the same host), with CSRF checks."""
