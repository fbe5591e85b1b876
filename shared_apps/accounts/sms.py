"""Pluggable SMS delivery, chosen by the SMS_BACKEND setting.

Backends: ConsoleSmsBackend (development: the text goes to the log), LocmemSmsBackend (tests:
`outbox`) and, for production, sms_twilio.TwilioSmsBackend (Twilio's official SDK). A backend
that cannot deliver raises SmsError; `check --deploy` refuses the console and in-memory ones
(accounts.E002).
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from saas.api.errors import ApplicationError

logger = logging.getLogger("sms")

CONSOLE_BACKEND = "shared_apps.accounts.sms.ConsoleSmsBackend"
LOCMEM_BACKEND = "shared_apps.accounts.sms.LocmemSmsBackend"
TWILIO_BACKEND = "shared_apps.accounts.sms_twilio.TwilioSmsBackend"


class SmsError(ApplicationError):
    """The text was not sent: `sms_rejected` (400, the provider refused this number) or
    `sms_unavailable` (503, the provider could not be used)."""


class BaseSmsBackend:
    def send(self, *, to: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Development: the message (and so the code) goes to the log."""

    def send(self, *, to: str, text: str) -> None:
        logger.warning("SMS to %s: %s", to, text)


# Messages sent by LocmemSmsBackend, newest last; tests read and clear it (like mail.outbox).
outbox: list[dict] = []


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, *, to: str, text: str) -> None:
        outbox.append({"to": to, "text": text})


def sms_send(*, to: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(to=to, text=text)
