"""One JWT authentication base for every audience: sellers and each store's buyers.

Every pair we issue carries a `kind` claim, so a seller token never passes for a buyer token
and back; an audience adds its own claims (a buyer token names its store's schema, because
buyer ids restart at 1 in every store).

Refresh tokens are revocable (simplejwt's `token_blacklist` app): every pair is recorded as an
`OutstandingToken` when issued, a revoked one is a `BlacklistedToken`, and `access_from_refresh`
(the one place a refresh token is accepted) refuses it with 401. A row holds the token's `jti`
and expiry, never the token itself (simplejwt's `for_user` would store it: a database dump
would then hold live refresh tokens). Only sellers' rows name their owner (`user`), which is
what "sign out everywhere" looks up; a buyer's row has no user, since buyer ids are not Seller
ids, and is revoked by its `jti` alone.
"""

from abc import ABC, abstractmethod

from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token
from rest_framework_simplejwt.utils import datetime_from_epoch

from saas.api.errors import ApplicationError


def token_pair(*, kind: str, user_id: int, owner=None, **claims) -> dict:
    """A new access + refresh pair, the refresh recorded as outstanding (so it can be revoked).

    `owner`: the Seller the pair belongs to, recorded so that revoking all of a seller's
    tokens finds this one; None for audiences whose ids are not Seller ids (buyers).
    """
    refresh = RefreshToken()
    refresh["user_id"] = user_id
    refresh["kind"] = kind
    for name, value in claims.items():
        refresh[name] = value
    OutstandingToken.objects.create(
        user=owner,
        jti=refresh["jti"],
        token="",  # revocation needs the jti only: the table holds no usable token
        created_at=refresh.current_time,
        expires_at=datetime_from_epoch(refresh["exp"]),
    )
    # The access token copies the custom claims (kind and the audience's own) from the refresh.
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@transaction.atomic
def refresh_revoke(token: RefreshToken) -> None:
    """Revoke one validated refresh token, by its jti (a row is made for one issued before
    pairs were recorded, without a user: simplejwt's own `blacklist()` would look the
    `user_id` claim up as a Seller id, which a buyer's is not)."""
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=token["jti"],
        defaults={
            "user": None,
            "token": "",
            "created_at": token.current_time,
            "expires_at": datetime_from_epoch(token["exp"]),
        },
    )
    BlacklistedToken.objects.get_or_create(token=outstanding)


@transaction.atomic
def refresh_revoke_all(*, owner) -> int:
    """Revoke every refresh token recorded for `owner` (a Seller) that is not revoked yet and
    has not expired; returns how many."""
    live = OutstandingToken.objects.filter(
        user=owner, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=outstanding) for outstanding in live],
        ignore_conflicts=True,  # revoked by a concurrent logout meanwhile
    )
    return len(revoked)


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

    def refresh_validated(self, *, refresh: str, request) -> RefreshToken:
        """The refresh token of this audience, checked: signature, expiry, not revoked, kind,
        and the audience's own claims (`principal_for`); else 401 token_invalid."""
        try:
            # Revocation is checked here: with the token_blacklist app installed, simplejwt's
            # BlacklistMixin.verify() (run by the constructor) raises TokenError for a revoked
            # jti. Without the app its models are abstract and token_pair fails loudly, so a
            # missing app can never mean revoked tokens pass.
            token = RefreshToken(refresh)
            if token.get("kind") != self.kind:
                raise exceptions.AuthenticationFailed(self.wrong_kind_message)
            self.principal_for(token, request)
        except TokenError as error:
            raise ApplicationError(
                "The refresh token is invalid, expired or revoked.",
                code="token_invalid",
                status_code=401,
            ) from error
        except exceptions.AuthenticationFailed as error:
            raise ApplicationError(
                str(error.detail), code="token_invalid", status_code=401
            ) from error
        return token

    def access_from_refresh(self, *, refresh: str, request) -> str:
        """A new access token for a live refresh token of this audience, or 401 token_invalid."""
        return str(self.refresh_validated(refresh=refresh, request=request).access_token)

    def logout(self, *, refresh: str, request) -> None:
        """Revoke a live refresh token of this audience (401 token_invalid if it is not one)."""
        refresh_revoke(self.refresh_validated(refresh=refresh, request=request))
