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


ERROR_STATUSES = {
    "400": "Bad input",
    "401": "No or invalid credentials",
    "403": "Not allowed",
    "404": "Absent, or not yours",
    "409": "Conflict with the current state",
    "413": "Body too large",
    "415": "Unsupported content type",
    "429": "Throttled (see Retry-After)",
}


def error_responses_postprocess(result, generator, request, public):
    """Every operation may answer with our one error shape; say so in the schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "error": {"type": "string"},
            "code": {"type": "string"},
            "details": {"type": "object", "additionalProperties": True},
        },
        "required": ["error", "code"],
    }
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(status, {"description": description, "content": error_content})
    return result
