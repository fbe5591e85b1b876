"""Serializer fields shared by the tools' APIs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from saas.validation import date_parse


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
