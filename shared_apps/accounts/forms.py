"""Forms of the platform's pages: they turn fields into the services' arguments and show the
services' errors next to the field they concern (the rules stay in services.py)."""

from django import forms

from saas.api.errors import ApplicationError
from saas.validation import phone_to_e164

# The platform sells to Indian stores first: a number without a country code is Indian.
PLATFORM_PHONE_REGION = "IN"
MOBILE_HELP = "Your 10-digit mobile number, or the number with its country code (+91 98765 43210)."


class ServiceErrorForm(forms.Form):
    """`show(error)` puts a service's ApplicationError next to the field it concerns."""

    # error code → field; any other code is shown above the form.
    error_fields: dict[str, str] = {}

    def show(self, error: ApplicationError) -> None:
        self.add_error(self.error_fields.get(error.code), error.message)


class MobileForm(ServiceErrorForm):
    mobile = forms.CharField(
        label="Mobile number",
        max_length=32,
        help_text=MOBILE_HELP,
        error_messages={
            "required": "Enter your mobile number.",
            "max_length": "That is too long for a mobile number.",
        },
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "autofocus": True}
        ),
    )
    error_fields = {
        "invalid_mobile": "mobile",
        "otp_resend_too_soon": "mobile",
        "otp_send_limit": "mobile",
        "throttled": "mobile",
        "sms_rejected": "mobile",
    }

    def clean_mobile(self) -> str:
        mobile = phone_to_e164(self.cleaned_data["mobile"], default_region=PLATFORM_PHONE_REGION)
        if mobile is None:
            raise forms.ValidationError(
                "This is not a mobile number we can send a code to. " + MOBILE_HELP
            )
        return mobile


class CodeForm(ServiceErrorForm):
    # The shape (6 ASCII digits) is checked by the service, with the API's message.
    otp = forms.CharField(
        label="Code",
        max_length=12,
        error_messages={
            "required": "Enter the 6-digit code from the SMS.",
            "max_length": "Enter the 6-digit code from the SMS.",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
    error_fields = {
        "otp_invalid": "otp",
        "otp_expired": "otp",
        "otp_locked": "otp",
        "otp_not_requested": "otp",
        "throttled": "otp",
    }


class ProfileForm(ServiceErrorForm):
    name = forms.CharField(
        label="Your name",
        max_length=200,  # the service says how long a name may be
        error_messages={"required": "Enter your name.", "max_length": "That name is too long."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label="E-mail",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address.",
            "max_length": "That e-mail address is too long.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_fields = {"invalid_name": "name", "invalid_email": "email", "email_taken": "email"}


class ApiTokenForm(ServiceErrorForm):
    prefix = "token"  # its Name field sits on the account page next to the profile's
    name = forms.CharField(
        label="Token name",
        max_length=100,
        required=False,
        help_text="What the token is for, e.g. “stock sync”.",
        error_messages={"max_length": "Keep the name to 100 characters or fewer."},
    )
