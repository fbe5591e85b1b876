"""OpenAPI generation for our API style (drf-spectacular).

Views nest their serializers (`OrderPlaceApi.InputSerializer`), so every component would be
called "Input"/"Output" and collide; naming them after the qualified class keeps each one
distinct. The extensions describe our own authentication classes in the schema.
See https://drf-spectacular.readthedocs.io/en/latest/customization.html
"""

from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class SellerSuiteAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        # "OtpRequestApi.InputSerializer" -> "OtpRequestApiInputSerializer"
        return serializer.__class__.__qualname__.replace(".", "")

    def _get_request_for_media_type(self, serializer, direction="request"):
        # drf-spectacular documents every PATCH body as partial (each field optional), as a
        # ModelViewSet's would be. Our views build their serializers themselves, partial only
        # where the view says so (`patch_is_partial = True`); a PATCH that needs a field must
        # say so in the schema too.
        if self.method == "PATCH" and not getattr(self.view, "patch_is_partial", False):
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)


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


class DecimalFieldScheme(OpenApiSerializerFieldExtension):
    """Decimal strings as the server reads them: at least one digit (drf-spectacular's own
    pattern also matches "", "-" and "."), and no minus sign where the field's minimum is 0 or
    more (prices, fees, tax rates)."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if "pattern" in schema and field.max_whole_digits:
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            whole, places = field.max_whole_digits, field.decimal_places
            schema["pattern"] = (
                rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"
            )
        return schema


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


def empty_query_values_postprocess(result, generator, request, public):
    """An optional query parameter sent empty (`?start=`, as an HTML form sends a field left
    blank) counts as not sent: DRF reads form-style input that way. Say so in the schema
    (`allowEmptyValue`), so clients and generated tests know `?start=` is no error."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result


# NulCharacterMiddleware refuses a NUL anywhere in a request (PostgreSQL text cannot hold one).
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK_NO_NUL = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _strings_without_nul(schema) -> None:
    if isinstance(schema, list):
        for item in schema:
            _strings_without_nul(item)
        return
    if not isinstance(schema, dict):
        return
    kind = schema.get("type")
    is_string = kind == "string" or (isinstance(kind, list) and "string" in kind)
    if is_string and "pattern" not in schema and "enum" not in schema and "format" not in schema:
        # A field that may not be blank trims its input first (DRF's CharField): it needs a
        # character that is not white space.
        schema["pattern"] = NOT_BLANK_NO_NUL if schema.get("minLength", 0) >= 1 else NO_NUL
    for key in ("properties", "items", "allOf", "anyOf", "oneOf", "additionalProperties"):
        value = schema.get(key)
        if key == "properties" and isinstance(value, dict):
            for child in value.values():
                _strings_without_nul(child)
        elif value is not None:
            _strings_without_nul(value)


def no_nul_characters_postprocess(result, generator, request, public):
    """Every string a client sends (parameters and request bodies) holds no NUL character."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: the request side of a body
            _strings_without_nul(schema)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                _strings_without_nul(parameter.get("schema"))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _strings_without_nul(content.get("schema"))
    return result
