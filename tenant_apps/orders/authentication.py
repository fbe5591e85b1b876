"""Buyer tokens: simplejwt pairs whose claims name the buyer's store (schema) and kind.

Customer ids restart at 1 in every store schema, so a token without the schema claim would be
valid for a different person in another store; the claim is checked on every request and on
refresh.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import RefreshToken, Token

from saas.api.errors import ApplicationError

from .models import Customer

CUSTOMER_TOKEN_KIND = "customer"


def customer_token_pair(*, customer: Customer, schema_name: str) -> dict:
    refresh = RefreshToken()
    refresh["user_id"] = customer.pk
    refresh["kind"] = CUSTOMER_TOKEN_KIND
    refresh["schema"] = schema_name
    # The access token copies the custom claims (kind, schema) from the refresh token.
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def customer_for_token(token: Token, *, schema_name: str) -> Customer:
    """The customer a validated token names, if it is a buyer token of this store."""
    if token.get("kind") != CUSTOMER_TOKEN_KIND:
        raise exceptions.AuthenticationFailed("Sign in as a buyer of this store.")
    if token.get("schema") != schema_name:
        raise exceptions.AuthenticationFailed("This token belongs to another store.")
    customer = Customer.objects.filter(pk=token.get("user_id")).first()
    if customer is None:
        raise exceptions.AuthenticationFailed("The buyer account is unknown.")
    return customer


def customer_access_refresh(*, refresh: str, schema_name: str) -> str:
    try:
        token = RefreshToken(refresh)
    except TokenError as error:
        raise ApplicationError(
            "The refresh token is invalid or expired.", code="token_invalid", status_code=401
        ) from error
    try:
        customer_for_token(token, schema_name=schema_name)
    except exceptions.AuthenticationFailed as error:
        raise ApplicationError(str(error.detail), code="token_invalid", status_code=401) from error
    return str(token.access_token)


class CustomerJWTAuthentication(JWTAuthentication):
    """`Authorization: Bearer <access>` holding a buyer token of the store on this host.

    On buyer endpoints any other bearer (a seller's, another store's buyer) is refused.
    """

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
        return customer_for_token(validated, schema_name=request.tenant.schema_name), validated


class IsCustomer(BasePermission):
    message = "Sign in as a buyer of this store."

    def has_permission(self, request, view):
        return isinstance(request.user, Customer)


class CustomerJWTScheme(OpenApiAuthenticationExtension):
    target_class = CustomerJWTAuthentication
    name = "buyerJwt"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="JWT"
        )
