"""Input rules used by more than one tool, written once: timezones, dates, phone numbers, CSV
cells."""

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import dateparse


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


# The days a date from outside may name. Past them a local midnight, the day after or a UTC
# conversion leaves Python's years 1..9999 (OverflowError), and no seller means them; the event
# API's `occurred_at` takes the same years.
DATE_MIN = date(1970, 1, 1)
DATE_MAX = date(2100, 12, 31)
# Real UTC offsets run from -12:00 to +14:00; Python takes up to ±23:59, PostgreSQL only ±15:59.
UTC_OFFSET_MAX = timedelta(hours=14)
# The longest ISO date-time we take ("2025-01-31T08:00:00.123456+05:30" is 32).
MOMENT_MAX_LENGTH = 40
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_range_check(day: date, *, name: str, raw: str) -> None:
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            f"The {name} {raw!r} is outside {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}.",
            code="date_out_of_range",
        )


def date_parse(raw: str, *, name: str = "date") -> date:
    """A day written YYYY-MM-DD between DATE_MIN and DATE_MAX.

    Raises ValidationError with code `invalid` (not such a date) or `date_out_of_range`; the
    message names the value as `name` ("The start date '2024-13-01' is not …").
    """
    text = raw if isinstance(raw, str) else ""
    try:
        if not _DATE_SHAPE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        shown = str(raw)[:20]
        raise ValidationError(
            f"The {name} {shown!r} is not a date like 2024-01-31.", code="invalid"
        ) from None
    _date_range_check(day, name=name, raw=text)
    return day


def moment_parse(raw: str, *, zone: tzinfo, name: str = "date-time") -> datetime:
    """An ISO date (midnight in `zone`) or date-time (naive = in `zone`), as an aware UTC
    datetime; its day between DATE_MIN and DATE_MAX and its offset within ±14:00.

    Raises ValidationError with code `invalid`, `date_out_of_range` or `offset_out_of_range`.
    """
    text = raw.strip() if isinstance(raw, str) else ""
    moment = None
    # ASCII only: Django's patterns match any Unicode digit (fullwidth ones, Arabic-Indic ones).
    if len(text) <= MOMENT_MAX_LENGTH and text.isascii():
        try:
            moment = dateparse.parse_datetime(text)
            if moment is None and (day := dateparse.parse_date(text)) is not None:
                moment = datetime.combine(day, time.min)
        except ValueError:  # the shape of a date-time, not a real one (2025-02-30)
            moment = None
    if moment is None:
        raise ValidationError(f"The {name} {str(raw)[:20]!r} is not an ISO date.", code="invalid")
    _date_range_check(moment.date(), name=name, raw=text)
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > UTC_OFFSET_MAX:
        raise ValidationError(
            f"The {name} {text!r} has a UTC offset beyond ±14:00.", code="offset_out_of_range"
        )
    if offset is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


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


# A UPI address ("virtual payment address"): a handle, "@", the bank's PSP name. The store's
# settings (tenants) and the orders tool's payment step both check it.
UPI_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,255}@[A-Za-z][A-Za-z0-9]{1,63}$")


def upi_id_is_valid(value: str) -> bool:
    return isinstance(value, str) and bool(UPI_ID_PATTERN.fullmatch(value))
