"""The Twilio SMS backend, through Twilio's SDK, against a local fake of Twilio's HTTP API."""

import pytest
import requests
from django.core import checks

from shared_apps.accounts.sms import SmsError, sms_send
from tests.benchmarks.common import free_port
from tests.support.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, MESSAGES_PATH, FakeTwilio

MOBILE = "+919876543210"
TWILIO_BACKEND = "shared_apps.accounts.sms_twilio.TwilioSmsBackend"


@pytest.fixture
def fake_twilio(settings):
    server = FakeTwilio().start()
    settings.SMS_BACKEND = TWILIO_BACKEND
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_FROM = FROM_NUMBER
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = server.url
    yield server
    server.stop()


def test_one_well_formed_request_per_text(fake_twilio):
    sms_send(to=MOBILE, text="Your Seller Suite code, valid for 5 minutes, is 123456")

    assert len(fake_twilio.requests) == 1
    request = fake_twilio.requests[0]
    assert (request.method, request.path) == ("POST", MESSAGES_PATH)
    assert request.auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["User-Agent"].startswith("twilio-python/")
    assert request.form == {
        "To": [MOBILE],
        "From": [FROM_NUMBER],
        "Body": ["Your Seller Suite code, valid for 5 minutes, is 123456"],
    }


def test_a_messaging_service_is_the_sender_when_set(fake_twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "0" * 32

    sms_send(to=MOBILE, text="hello")

    assert [request.form for request in fake_twilio.requests] == [
        {"To": [MOBILE], "MessagingServiceSid": ["MG" + "0" * 32], "Body": ["hello"]}
    ]


def test_a_sign_in_code_goes_out_through_twilio_once(fake_twilio, platform_client, redis_clean):
    response = platform_client.post("/api/auth/otp/request", {"mobile": MOBILE}, format="json")

    assert response.status_code == 202
    assert len(fake_twilio.requests) == 1
    text = fake_twilio.requests[0].form["Body"][0]
    assert text.startswith("Your Seller Suite code, valid for 5 minutes, is ")
    code = text.rsplit(" ", 1)[-1]
    verified = platform_client.post(
        "/api/auth/otp/verify", {"mobile": MOBILE, "otp": code}, format="json"
    )
    assert verified.status_code == 200


def test_a_4xx_of_twilio_becomes_our_sms_rejected_error(fake_twilio):
    fake_twilio.refuse_next(
        status=400, code=21211, message=f"The 'To' number {MOBILE} is not a valid phone number."
    )

    with pytest.raises(SmsError) as refused:
        sms_send(to=MOBILE, text="hello")

    error = refused.value
    assert (error.code, error.status_code) == ("sms_rejected", 400)
    assert error.message == "The SMS provider cannot send a text to this number."
    assert error.details == {"provider_code": 21211}
    assert len(fake_twilio.requests) == 1


def test_the_api_answers_our_error_when_twilio_refuses(fake_twilio, platform_client, redis_clean):
    fake_twilio.refuse_next(status=400, code=21614, message="'To' number is not a valid mobile.")

    response = platform_client.post("/api/auth/otp/request", {"mobile": MOBILE}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": "The SMS provider cannot send a text to this number.",
        "code": "sms_rejected",
        "details": {"provider_code": 21614},
    }
    assert len(fake_twilio.requests) == 1


def test_wrong_credentials_make_texts_unavailable(fake_twilio, settings):
    settings.TWILIO_AUTH_TOKEN = "not-the-token"

    with pytest.raises(SmsError) as refused:
        sms_send(to=MOBILE, text="hello")

    assert (refused.value.code, refused.value.status_code) == ("sms_unavailable", 503)
    assert fake_twilio.requests[0].auth == (ACCOUNT_SID, "not-the-token")


def test_an_unreachable_twilio_makes_texts_unavailable(settings):
    settings.SMS_BACKEND = TWILIO_BACKEND
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT_SID, AUTH_TOKEN
    settings.TWILIO_FROM = FROM_NUMBER
    settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens

    with pytest.raises(SmsError) as refused:
        sms_send(to=MOBILE, text="hello")

    assert (refused.value.code, refused.value.status_code) == ("sms_unavailable", 503)


def deploy_errors() -> list[tuple[str, str]]:
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    return [(message.id, message.msg) for message in found if message.id.startswith("accounts.")]


@pytest.mark.parametrize(
    "backend",
    ["shared_apps.accounts.sms.ConsoleSmsBackend", "shared_apps.accounts.sms.LocmemSmsBackend"],
)
def test_check_deploy_refuses_a_backend_that_sends_nothing(settings, backend):
    settings.SMS_BACKEND = backend

    assert deploy_errors() == [
        ("accounts.E002", f"SMS_BACKEND is {backend}: no text reaches a phone.")
    ]


def test_check_deploy_refuses_twilio_without_its_settings(settings):
    settings.SMS_BACKEND = TWILIO_BACKEND
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT_SID, ""
    settings.TWILIO_FROM = settings.TWILIO_MESSAGING_SERVICE_SID = ""

    assert deploy_errors() == [
        (
            "accounts.E003",
            "The Twilio SMS backend is missing TWILIO_AUTH_TOKEN, "
            "TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID.",
        )
    ]
    settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = AUTH_TOKEN, FROM_NUMBER
    assert deploy_errors() == []


def test_the_fake_refuses_what_twilio_would(fake_twilio):
    """The fake is strict, so a well-formed request above means something."""

    wrong_account = requests.post(
        f"{fake_twilio.url}/2010-04-01/Accounts/ACother/Messages.json",
        data={"To": MOBILE, "From": FROM_NUMBER, "Body": "x"},
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        timeout=5,
    )
    no_body = requests.post(
        f"{fake_twilio.url}{MESSAGES_PATH}",
        data={"To": MOBILE, "From": FROM_NUMBER},
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        timeout=5,
    )

    assert wrong_account.status_code == 404
    assert (no_body.status_code, no_body.json()["code"]) == (400, 21602)
