"""One JWT authentication base for every audience: sellers and each store's buyers.

Every pair we issue carries a `kind` claim, so a seller token never passes for a buyer token
and back; an audience adds its own claims (a buyer token names its store's schema, because
buyer ids restart at 1 in every store).
"""

from abc import ABC, abstractmethod

from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import RefreshToken, Token

from saas.api.errors import ApplicationError


def token_pair(*, kind: str, user_id: int, **claims) -> dict:
    refresh = RefreshToken()
    refresh["user_id"] = user_id
    refresh["kind"] = kind
    for name, value in claims.items():
        refresh[name] = value
    # The access token copies the custom claims (kind and the audience's own) from the refresh.
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class AudienceJWTAuthentication(JWTAuthentication, ABC):
    """`Authorization: Bearer <access>` of one audience (`kind`).

    A bearer of another kind is left to the next authentication class when
    `other_kinds_pass`, else refused (buyer endpoints refuse a seller's bearer).
    """

    kind: str = ""
    other_kinds_pass = True
    wrong_kind_message = "This token is not valid here."

    @abstractmethod
    def principal_for(self, token: Token, request):
        """The person a validated token of this kind names; raise AuthenticationFailed if none."""

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
        if validated.get("kind") != self.kind:
            if self.other_kinds_pass:
                return None
            raise exceptions.AuthenticationFailed(self.wrong_kind_message)
        return self.principal_for(validated, request), validated

    def access_from_refresh(self, *, refresh: str, request) -> str:
        """A new access token for a refresh token of this audience, or 401 token_invalid."""
        try:
            token = RefreshToken(refresh)
            if token.get("kind") != self.kind:
                raise exceptions.AuthenticationFailed(self.wrong_kind_message)
            self.principal_for(token, request)
        except TokenError as error:
            raise ApplicationError(
                "The refresh token is invalid or expired.", code="token_invalid", status_code=401
            ) from error
        except exceptions.AuthenticationFailed as error:
            raise ApplicationError(
                str(error.detail), code="token_invalid", status_code=401
            ) from error
        return str(token.access_token)
