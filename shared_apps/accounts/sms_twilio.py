"""Twilio, the SMS provider of production, through its official SDK (`twilio` on PyPI).

Settings: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (AC… and its auth token), TWILIO_FROM (a
Twilio number in E.164 or an alphanumeric sender ID) or TWILIO_MESSAGING_SERVICE_SID (MG…, wins
when set), and TWILIO_API_BASE_URL (https://api.twilio.com; the tests point it at a local fake).
https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
"""

import logging

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from .errors import AccountsErrorCode
from .sms import BaseSmsBackend, SmsError

logger = logging.getLogger("sms")


def twilio_client() -> Client:
    client = Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT_SECONDS),
    )
    # The SDK's one place for the REST API's address (its Api domain); nothing else changes.
    client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")
    return client


def twilio_sender() -> dict:
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
    return {"from_": settings.TWILIO_FROM}


class TwilioSmsBackend(BaseSmsBackend):
    def send(self, *, to: str, text: str) -> None:
        try:
            twilio_client().messages.create(to=to, body=text, **twilio_sender())
        except TwilioRestException as error:
            # Never the text (it holds the code): Twilio's status and error code say enough.
            logger.warning(
                "Twilio refused an SMS: HTTP %s, Twilio code %s", error.status, error.code
            )
            if error.status == 400:
                raise SmsError(
                    "The SMS provider cannot send a text to this number.",
                    code=AccountsErrorCode.SMS_REJECTED,
                    details={"provider_code": error.code},
                ) from error
            raise _unavailable() from error
        except (TwilioException, requests.RequestException) as error:
            logger.warning("Twilio could not be reached: %s", type(error).__name__)
            raise _unavailable() from error


def _unavailable() -> SmsError:
    return SmsError(
        "Texts cannot be sent right now; try again in a few minutes.",
        code=AccountsErrorCode.SMS_UNAVAILABLE,
    )
