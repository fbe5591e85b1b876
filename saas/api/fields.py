"""Serializer fields shared by the tools' APIs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from saas.access.timezone import current_store_timezone
from saas.validation import date_parse, moment_parse


class DateParameterField(serializers.DateField):
    """A day as YYYY-MM-DD, parsed by saas.validation.date_parse: code `invalid` when it is no
    such day, `date_out_of_range` outside DATE_MIN..DATE_MAX (never an overflow later)."""

    def to_internal_value(self, value):
        try:
            return date_parse(value, name=self.field_name or "date")
        except DjangoValidationError as error:
            if error.code == "invalid":
                self.fail("invalid", format="YYYY-MM-DD")
            raise serializers.ValidationError(error.messages[0], code=error.code) from None


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentField(serializers.Field):
    """An ISO date-time (or a date: midnight), naive ones in the store's timezone, bounded like
    every date we take (saas.validation.moment_parse); answered as ISO 8601."""

    def to_internal_value(self, data):
        try:
            return moment_parse(data, zone=current_store_timezone(), name=self.field_name)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0], code=error.code) from None

    def to_representation(self, value):
        return value.isoformat()


class StrictCharField(serializers.CharField):
    """A text field that takes only a JSON string: DRF's CharField also turns a number into
    text (`{"name": 0}` → "0"), which the schema's `type: string` promises it refuses."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false only: DRF's BooleanField also reads 0, 1, "yes", "off"… (form input)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class QueryBooleanField(serializers.BooleanField):
    """A true/false query filter that may be left out: DRF's BooleanField with `allow_null`
    also reads the text "null" as no filter, which the schema's `type: boolean` refuses."""

    NULL_VALUES = {"", None}

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, default=None, **kwargs)
