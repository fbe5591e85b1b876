"""Pluggable SMS delivery, chosen by the SMS_BACKEND setting."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("sms")


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
