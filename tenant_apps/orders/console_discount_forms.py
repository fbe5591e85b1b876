"""The console's discount code form: fields become discount_create / discount_update's
arguments; a refusal of the service is shown next to the field it concerns. No rule here."""

from django import forms

from tenants.console_forms import ServiceForm

from .models import DiscountCode

MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
NUMBER = "Enter a number, like 10 or 49.50."
WHOLE = "Enter a whole number, like 100, or leave it empty for no limit."


def _moment_field(label: str, help_text: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=MOMENT_FORMATS,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time, like 2025-10-20 09:00."},
    )


def _uses_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={"invalid": WHOLE},
    )


class DiscountForm(ServiceForm):
    error_fields = {
        "invalid_discount_code": "code",
        "discount_code_taken": "code",
        "invalid_discount_kind": "kind",
        "invalid_discount_value": "value",
        "invalid_min_subtotal": "min_subtotal",
        "invalid_discount_dates": "ends_at",
        "invalid_max_uses": "max_uses",
        "invalid_max_uses_per_customer": "max_uses_per_customer",
    }

    code = forms.CharField(
        label="Code",
        max_length=100,
        help_text="What buyers type at checkout: letters, digits, '-' or '_'. Capitals do not "
        "matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Give the code buyers will type, like DIWALI10.",
                        "max_length": "Keep the code to 40 characters or fewer."},
    )  # fmt: skip
    kind = forms.ChoiceField(
        label="Discount",
        choices=DiscountCode.Kind.choices,
        error_messages={"required": "Choose percent off or amount off.",
                        "invalid_choice": "Choose percent off or amount off."},
    )  # fmt: skip
    value = forms.DecimalField(
        label="Percent or amount off",
        help_text="10 means 10 % off, or 10.00 off in your currency.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "Enter how much the code takes off.", "invalid": NUMBER},
    )
    min_subtotal = forms.DecimalField(
        label="Minimum order (optional)",
        required=False,
        help_text="The code works only when the products in the cart add up to this.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": NUMBER},
    )
    starts_at = _moment_field("Starts (optional)", "Empty: at once. In your store's timezone.")
    ends_at = _moment_field("Ends (optional)", "Empty: no end.")
    max_uses = _uses_field("Uses in all (optional)", "How many orders may use it, in all.")
    max_uses_per_customer = _uses_field(
        "Uses per customer (optional)", "How many orders each buyer may use it on."
    )


class DiscountEditForm(DiscountForm):
    is_active = forms.BooleanField(
        label="Active: buyers can use this code", required=False, initial=True
    )


def discount_initial(discount: DiscountCode) -> dict:
    fields = ("code", "kind", "value", "min_subtotal", "starts_at", "ends_at", "max_uses",
              "max_uses_per_customer", "is_active")  # fmt: skip
    return {name: getattr(discount, name) for name in fields}
