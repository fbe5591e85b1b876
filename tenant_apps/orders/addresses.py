"""The buyer's mobile and delivery address, read the way the store's own country writes them.

The store's region is the country of its timezone in the tz database's zone.tab (Asia/Kolkata
is IN, America/New_York is US); a timezone of no one country (UTC, the default of a store
made through the API) means IN, the country our stores sell in first. So in an Indian store
"98111 11111" is +919811111111, and a PIN code is 6 digits that do not start with 0.
"""

import re
from functools import lru_cache
from importlib import resources

from django.db import connection

from saas.validation import phone_to_e164

DEFAULT_REGION = "IN"
INDIAN_PIN = re.compile(r"[1-9][0-9]{5}")
# Elsewhere: 3 to 12 letters, digits, spaces or hyphens (UK "SW1A 1AA", US "10001-1234").
POSTAL_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z \-]{2,11}")

PHONE_HELP = {
    "IN": "Give a valid phone number, such as 98111 11111 or +91 98111 11111.",
}
PHONE_HELP_OTHER = "Give a valid phone number, with its country code if it is not local."
PIN_HELP = "Give the 6-digit PIN code, such as 411001."
POSTAL_HELP = "Give a postal code of 3 to 12 letters or digits."


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Timezone name -> ISO country code, from the tzdata package's zone.tab."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    except (FileNotFoundError, ModuleNotFoundError, OSError):  # pragma: no cover - tzdata pinned
        return {}
    countries = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            countries[fields[2]] = fields[0]
    # zone.tab names only canonical zones; the old name of Kolkata is still common.
    countries.setdefault("Asia/Calcutta", "IN")
    return countries


def region_for_timezone(name: str | None) -> str:
    return _zone_countries().get(name or "", DEFAULT_REGION)


def store_region() -> str:
    """The region of the store whose schema is active (its timezone's country, else IN)."""
    return region_for_timezone(getattr(getattr(connection, "tenant", None), "timezone", None))


def store_phone_e164(raw: str) -> str | None:
    """A phone number as the store's buyers write it, in E.164; None when it is not one."""
    return phone_to_e164(raw, default_region=store_region())


def store_phone_help() -> str:
    return PHONE_HELP.get(store_region(), PHONE_HELP_OTHER)


def store_postal_code_clean(raw: str) -> str | None:
    """The postal code as stored ("411 001" -> "411001" in India); None when it is not one."""
    text = " ".join(str(raw or "").split())
    if store_region() == "IN":
        digits = text.replace(" ", "")
        return digits if INDIAN_PIN.fullmatch(digits) else None
    return text if POSTAL_CODE.fullmatch(text) else None


def store_postal_code_help() -> str:
    return PIN_HELP if store_region() == "IN" else POSTAL_HELP
