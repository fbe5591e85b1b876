"""The store's support backend authenticates with an ingestion token of this store."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication

from saas.access.membership import request_is_platform
from saas.access.tokens import key_from_request
from saas.api.permissions import IsStoreMember

from .models import IngestionToken


class IngestionClient:
    """The principal behind an ingestion token: a program, not a seller."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    pk = None

    def __init__(self, token: IngestionToken):
        self.token = token

    def __str__(self):
        return f"ingestion token {self.token.name}"


class IngestionTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` (or `X-API-Token`) holding an ingestion token of this store.

    Returns None when the key is not one, so the member API token authentication is tried next.
    The lookup runs in the host's store schema, so another store's token is simply unknown here.
    """

    keyword = "Token"

    def authenticate(self, request):
        key = key_from_request(request)
        if not key or request_is_platform(request):
            return None
        token = IngestionToken.lookup(key)
        if token is None:
            return None
        token.touch()
        return IngestionClient(token), token

    def authenticate_header(self, request):
        return self.keyword


class IsStoreMemberOrIngestionToken(IsStoreMember):
    message = "Use an ingestion token of this store or sign in as one of its members."

    def has_permission(self, request, view):
        if isinstance(request.auth, IngestionToken):
            return True
        return super().has_permission(request, view)


class IngestionTokenScheme(OpenApiAuthenticationExtension):
    """Documents the ingestion token in /api/schema/."""

    target_class = IngestionTokenAuthentication
    name = "ingestionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` with an ingestion token of this store.",
        }
