"""Create your store, on the platform host: fields → store_create's arguments."""

import zoneinfo
from functools import lru_cache

from django import forms

from shared_apps.accounts.forms import ServiceErrorForm

DEFAULT_TIMEZONE = "UTC"  # until the browser says where the seller is (static/js/platform.js)


@lru_cache(maxsize=1)
def timezone_choices() -> list:
    """Every IANA zone store_create accepts, grouped by region ("Asia" → "Kolkata")."""
    groups: dict[str, list] = {}
    for name in sorted(zoneinfo.available_timezones()):
        region, _, place = name.partition("/")
        if place:
            groups.setdefault(region, []).append((name, place.replace("_", " ")))
    return [(DEFAULT_TIMEZONE, "UTC"), *sorted(groups.items())]


class StoreCreateForm(ServiceErrorForm):
    name = forms.CharField(
        label="Store name",
        max_length=120,
        help_text="Shown to buyers; your store's address on the web is made from it.",
        error_messages={
            "required": "Give your store a name.",
            "max_length": "Keep the store name to 120 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address = forms.CharField(
        label="Address",
        max_length=500,
        required=False,
        help_text="Where you ship from; buyers see it on your store page.",
        error_messages={"max_length": "Keep the address to 500 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    timezone = forms.ChoiceField(
        label="Timezone",
        choices=timezone_choices,
        initial=DEFAULT_TIMEZONE,
        help_text="Orders, reports and schedules use your store's local time.",
        error_messages={
            "required": "Pick your store's timezone.",
            "invalid_choice": "Pick your store's timezone from the list, such as Asia/Kolkata.",
        },
    )
    error_fields = {
        "invalid_name": "name",
        "reserved_name": "name",
        "invalid_timezone": "timezone",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # the seller's own pick, shown again: the browser's zone stays out
            self.fields["timezone"].widget.attrs["data-chosen"] = "1"
