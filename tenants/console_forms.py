"""Forms of the console's Settings: they turn fields into the services' arguments and show a
service's refusal next to the field it concerns, in a seller's words. No rule lives here."""

import zoneinfo
from functools import lru_cache

from django import forms

from saas.api.errors import ApplicationError
from saas.validation import timezone_is_valid
from shared_apps.accounts.models import StoreMembership

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
