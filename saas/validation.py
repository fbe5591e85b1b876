"""Input rules used by more than one tool, written once: timezones, phone numbers, CSV cells."""

import zoneinfo
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def _iana_timezones() -> frozenset[str]:
    # Reading the zone database costs ~20 ms; the list does not change while we run.
    return frozenset(zoneinfo.available_timezones())


def timezone_is_valid(name: str) -> bool:
    return isinstance(name, str) and name in _iana_timezones()


def validate_timezone(value: str) -> None:
    """Django validator: an IANA name such as "Asia/Kolkata" (code `invalid_timezone`)."""
    if not timezone_is_valid(value):
        raise ValidationError(f"{value!r} is not an IANA timezone.", code="invalid_timezone")


def phone_to_e164(raw: str, *, default_region: str | None = None) -> str | None:
    """The number in E.164 (+<country><number>), or None when it is not a valid number.

    Without `default_region` the number must carry its country code (+91…).
    """
    try:
        number = phonenumbers.parse(str(raw or "").strip(), default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value safe to write into a CSV a seller opens in a spreadsheet: formulas stay text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        return "'" + value
    return value
