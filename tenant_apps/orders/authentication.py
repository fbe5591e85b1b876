"""Buyer tokens: JWT pairs whose claims name the buyer's store (schema) and kind.

Customer ids restart at 1 in every store schema, so a token without the schema claim would be
valid for a different person in another store; the claim is checked on every request and on
refresh (saas.access.jwt does both through `principal_for`).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from saas.access.jwt import AudienceJWTAuthentication, token_pair

from .models import Customer

CUSTOMER_TOKEN_KIND = "customer"


def customer_token_pair(*, customer: Customer, schema_name: str) -> dict:
    return token_pair(kind=CUSTOMER_TOKEN_KIND, user_id=customer.pk, schema=schema_name)


class CustomerJWTAuthentication(AudienceJWTAuthentication):
    """`Authorization: Bearer <access>` holding a buyer token of the store on this host.

    On buyer endpoints any other bearer (a seller's, another store's buyer) is refused.
    """

    kind = CUSTOMER_TOKEN_KIND
    other_kinds_pass = False
    wrong_kind_message = "Sign in as a buyer of this store."

    def principal_for(self, token, request):
        if token.get("schema") != request.tenant.schema_name:
            raise exceptions.AuthenticationFailed("This token belongs to another store.")
        customer = Customer.objects.filter(pk=token.get("user_id")).first()
        if customer is None:
            raise exceptions.AuthenticationFailed("The buyer account is unknown.")
        return customer


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
