"""OpenAPI generation for our API style (drf-spectacular).

Views nest their serializers (`OrderPlaceApi.InputSerializer`), so every component would be
called "Input"/"Output" and collide; naming them after the qualified class keeps each one
distinct. The extensions describe our own authentication classes in the schema.
See https://drf-spectacular.readthedocs.io/en/latest/customization.html
"""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class SellerSuiteAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        # "OtpRequestApi.InputSerializer" -> "OtpRequestApiInputSerializer"
        return serializer.__class__.__qualname__.replace(".", "")


class SellerJWTScheme(OpenApiAuthenticationExtension):
    target_class = "saas.api.authentication.SellerJWTAuthentication"
    name = "sellerJwt"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="JWT"
        )


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "saas.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        # `Authorization: Token <key>` is accepted too; the header form is the documented one.
        return {"type": "apiKey", "in": "header", "name": "X-API-Token"}


class CsrfSessionScheme(OpenApiAuthenticationExtension):
    target_class = "saas.api.authentication.CsrfSessionAuthentication"
    name = "sessionCookie"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
