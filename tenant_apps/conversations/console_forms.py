"""Forms of the console's conversation pages: fields in, the service's errors out in words.

The rules live in services.py and payload.py (the same ones `POST /chat/` and `/api/clients`
apply); a form only turns fields into the service's arguments and places a ConversationError
next to the field it concerns.
"""

import zoneinfo

from django import forms

from .errors import ConversationError, ConversationsErrorCode
from .payload import PAYLOAD_MAX_LENGTH

Code = ConversationsErrorCode
TIMEZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


class NewConversationForm(forms.Form):
    client = forms.ChoiceField(label="Client", required=False)
    name = forms.CharField(label="Name", required=False, max_length=120)
    email = forms.EmailField(
        label="E-mail",
        required=False,
        max_length=254,
        error_messages={"invalid": "Write an e-mail address like asha@example.com."},
    )
    timezone = forms.ChoiceField(
        label="Timezone",
        choices=[(zone, zone.replace("_", " ")) for zone in TIMEZONES],
        error_messages={"invalid_choice": "Pick the client's timezone from the list."},
    )
    mobile = forms.CharField(label="Mobile (optional)", required=False, max_length=32)

    def __init__(self, *args, clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", "A new client (fill in below)")] + [
            (str(client.pk), f"{client.name} · {client.email}") for client in clients
        ]
        self.fields["client"].error_messages["invalid_choice"] = "Pick a client from the list."

    def clean(self):
        data = super().clean()
        # Adding a client takes an e-mail, as `POST /api/clients` does (the serializer's rule).
        if not data.get("client") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Write the client's e-mail address.")
        return data

    def client_id(self) -> int | None:
        value = self.cleaned_data.get("client")
        return int(value) if value else None

    def new_client(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key, "") for key in ("name", "email", "timezone", "mobile")}

    def show_error(self, error: ConversationError) -> None:
        field, words = CLIENT_ERRORS.get(error.code, (None, error.message))
        self.add_error(field, words)


CLIENT_ERRORS = {
    Code.INVALID_NAME.code: ("name", "Write the client's name."),
    Code.INVALID_TIMEZONE.code: ("timezone", "Pick the client's timezone from the list."),
    Code.INVALID_MOBILE.code: (
        "mobile",
        "Write the mobile number with its country code, like +919876543210.",
    ),
    Code.CLIENT_EXISTS.code: (
        "email",
        "A client with this e-mail already exists: pick them in the list above.",
    ),
    Code.CLIENT_NOT_FOUND.code: ("client", "This client no longer exists; pick another."),
}


class ComposerForm(forms.Form):
    # Not required and not trimmed here: the payload rules name what is wrong (payload.py).
    payload = forms.CharField(
        label="Message", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    author = forms.ChoiceField(label="Written by", required=False)

    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.conversation = conversation
        self.fields["author"].choices = [
            ("operator", "You, to the client"),
            ("client", f"{conversation.client.name}: a reply you record"),
        ]

    def user_id(self) -> int:
        if self.cleaned_data.get("author") == "client":
            return self.conversation.client_id
        return self.conversation.operator_id

    def message_text(self) -> str:
        return self.cleaned_data.get("payload", "")

    def show_error(self, error: ConversationError) -> None:
        self.add_error("payload", payload_error_words(error, client=self.conversation.client))


def payload_error_words(error: ConversationError, *, client) -> str:
    """A refusal of `POST /chat/`'s rules, as a seller reads it."""
    details = error.details or {}
    placeholders = "{{ username }} or {{ discountCode }}"
    words = {
        Code.PAYLOAD_EMPTY.code: "Write a message first.",
        Code.PAYLOAD_TOO_LONG.code: (
            f"Keep the message to {PAYLOAD_MAX_LENGTH} characters; it has {details.get('length')}."
        ),
        Code.PAYLOAD_CONTROL_CHARACTER.code: (
            "Write the message on one line: line breaks and control characters cannot be sent."
        ),
        Code.PAYLOAD_NOT_PRINTABLE.code: (
            f"The message has a character that cannot be sent ({details.get('character')})."
        ),
        Code.PAYLOAD_HTML.code: "Write plain text: HTML tags like <b> cannot be sent.",
        Code.UNKNOWN_PLACEHOLDER.code: (
            f"{', '.join('{{ ' + name + ' }}' for name in details.get('unknown', []))} is not "
            f"a placeholder; use {placeholders}."
        ),
        Code.PLACEHOLDER_MALFORMED.code: (
            f"A placeholder is not closed: write {placeholders} exactly."
        ),
        Code.DISCOUNT_CODE_MISSING.code: (
            f"{client.name} has no active discount code, so {{{{ discountCode }}}} cannot be "
            "filled in. Give them a code first, or leave it out."
        ),
        Code.CONVERSATION_CLOSED.code: "The conversation is closed: reopen it to write.",
        Code.CLIENT_UNSUBSCRIBED.code: (
            f"{client.name} unsubscribed from your e-mails: messages to them are not sent."
        ),
    }
    return words.get(error.code, error.message)
