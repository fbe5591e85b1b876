"""Forms of the console's Settings: they turn fields into the services' arguments and show a
service's refusal next to the field it concerns, in a seller's words. No rule lives here."""

import zoneinfo
from functools import lru_cache

from django import forms

from saas.api.errors import ApplicationError
from saas.validation import timezone_is_valid
from shared_apps.accounts.models import StoreMembership

from .currencies import currency_choices
from .schedules import WEEKDAYS

COMMON_TIMEZONES = ("Asia/Kolkata", "UTC", "Asia/Dubai", "Asia/Singapore", "Europe/London",
                    "America/New_York")  # fmt: skip


def service_call(service, **arguments) -> tuple[object, str | None]:
    """`(answer, None)`, or `(None, message)` when the service refused: for buttons without
    fields (remove, revoke), whose refusal becomes a message at the top of the page."""
    try:
        return service(**arguments), None
    except ApplicationError as error:
        return None, error.message


class ServiceForm(forms.Form):
    """`form.run(service, **arguments)` on a valid form: the service's answer, or None with its
    error shown on the field `error_fields` names for the error's code (else above the form)."""

    error_fields: dict[str, str | None] = {}

    def run(self, service, **arguments):
        try:
            return service(**arguments)
        except ApplicationError as error:
            self.add_error(self.error_fields.get(error.code), error.message)
            return None


@lru_cache(maxsize=1)
def timezone_choices() -> tuple[tuple[str, str], ...]:
    """The zones a store may use, the common ones first (reading the zone list is slow)."""
    zones = {zone for zone in zoneinfo.available_timezones() if timezone_is_valid(zone)}
    others = sorted(zones - set(COMMON_TIMEZONES))
    return tuple((zone, zone.replace("_", " ")) for zone in (*COMMON_TIMEZONES, *others))


class StoreProfileForm(ServiceForm):
    error_fields = {"invalid_name": "name", "invalid_address": "address",
                    "invalid_timezone": "timezone"}  # fmt: skip

    name = forms.CharField(
        label="Store name",
        max_length=120,
        error_messages={
            "required": "Give your store a name.",
            "max_length": "Keep the name to 120 characters or fewer.",
        },
    )
    address = forms.CharField(
        label="Address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the address to 500 characters or fewer."},
    )
    timezone = forms.ChoiceField(
        label="Timezone",
        choices=timezone_choices,
        error_messages={"invalid_choice": "Pick your timezone from the list."},
    )


MONEY = "Enter an amount, like 40 or 49.50."


class StoreSellingForm(ServiceForm):
    """Currency, delivery, tax and payment (tenants/store_settings.py has the rules)."""

    error_fields = {"invalid_currency": "currency", "invalid_delivery_fee": "delivery_fee",
                    "invalid_free_delivery_above": "free_delivery_above",
                    "invalid_tax_rate": "tax_rate", "invalid_upi_id": "upi_id",
                    "no_payment_method": "cod_enabled"}  # fmt: skip

    currency = forms.ChoiceField(
        label="Currency",
        choices=currency_choices,
        help_text="Every price and total in your store is in this currency.",
        error_messages={"required": "Pick your currency.",
                        "invalid_choice": "Pick your currency from the list."},
    )  # fmt: skip
    delivery_fee = forms.DecimalField(
        label="Delivery fee",
        help_text="Added to every order; 0 for free delivery.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "Enter the delivery fee, or 0.", "invalid": MONEY},
    )
    free_delivery_above = forms.DecimalField(
        label="Free delivery from (optional)",
        required=False,
        help_text="Orders whose products reach this amount, after discounts, pay no delivery.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": MONEY},
    )
    tax_rate = forms.DecimalField(
        label="Tax rate (%)",
        help_text="GST or VAT, like 18; 0 if you charge none.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "Enter the tax rate, or 0.",
                        "invalid": "Enter a percentage, like 18 or 5.5."},
    )  # fmt: skip
    tax_inclusive = forms.BooleanField(label="My prices already include tax", required=False)
    cod_enabled = forms.BooleanField(label="Buyers may pay cash on delivery", required=False)
    upi_id = forms.CharField(
        label="UPI ID (optional)",
        required=False,
        max_length=320,
        help_text="Buyers pay you by UPI to this address, like yourshop@okhdfc.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": "This is too long for a UPI ID."},
    )


def store_selling_initial(store) -> dict:
    fields = ("currency", "delivery_fee", "free_delivery_above", "tax_rate", "tax_inclusive",
              "cod_enabled", "upi_id")  # fmt: skip
    return {name: getattr(store, name) for name in fields}


class MemberInviteForm(ServiceForm):
    error_fields = {"invalid_mobile": "mobile", "member_exists": "mobile", "invalid_role": "role"}

    mobile = forms.CharField(
        label="Mobile number",
        max_length=32,
        help_text="They sign in with a code sent to this number.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the mobile number of the person you are adding.",
            "max_length": "This is too long for a mobile number.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=StoreMembership.Role.choices,
        initial=StoreMembership.Role.STAFF,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose owner or staff."},
    )


class MemberRoleForm(ServiceForm):
    error_fields = {"last_owner": "role", "invalid_role": "role"}

    role = forms.ChoiceField(
        label="Role",
        choices=StoreMembership.Role.choices,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose owner or staff."},
    )


HOUR_CHOICES = [("", "Every hour"), *((str(h), f"{h:02d}:00 UTC") for h in range(24))]


class ScheduleForm(ServiceForm):
    error_fields = {"invalid_schedule": None}

    enabled = forms.BooleanField(label="On", required=False)
    hour = forms.TypedChoiceField(
        label="Hour",
        choices=HOUR_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Pick an hour from the list."},
    )
    minute = forms.IntegerField(
        label="Minute past the hour",
        min_value=0,
        max_value=59,
        error_messages={
            "required": "Enter the minute, from 0 to 59.",
            "invalid": "The minute is a whole number from 0 to 59.",
            "min_value": "The minute is a whole number from 0 to 59.",
            "max_value": "The minute is a whole number from 0 to 59.",
        },
    )
    days = forms.TypedMultipleChoiceField(
        label="Days",
        choices=[(str(number), name) for number, name in WEEKDAYS],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every day.",
        error_messages={"invalid_choice": "Tick days from the list."},
    )


class TokenNameForm(ServiceForm):
    error_fields = {"name_required": "name"}

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the key is for, so you know which one to revoke.",
        error_messages={
            "required": "Give the key a name.",
            "max_length": "Keep the name to 100 characters or fewer.",
        },
    )
