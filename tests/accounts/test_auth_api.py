from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from saas.access.tokens import key_hash
from shared_apps.accounts import sms
from shared_apps.accounts.models import ApiToken, OtpChallenge, Seller
from tests.support.stores import PLATFORM_HOST, api_client
from tests.support.throttles import rates_raised

MOBILE = "+919876543210"


def last_sms_code() -> str:
    return sms.outbox[-1]["text"].rsplit(" ", 1)[-1]


def request_and_read_code(client, mobile=MOBILE) -> str:
    response = client.post("/api/auth/otp/request", {"mobile": mobile}, format="json")
    assert response.status_code == 202
    return last_sms_code()


# users/create ------------------------------------------------------------------------------


def test_user_create_returns_a_32_hex_token_that_authenticates(platform_client):
    response = platform_client.post(
        "/api/users/create", {"email": "Someone@Example.com"}, format="json"
    )

    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 32 and int(token, 16) >= 0
    assert list(response.json()) == ["token"]
    seller = Seller.objects.get(email="someone@example.com")
    assert ApiToken.objects.get(seller=seller).key_hash == key_hash(token)
    me = api_client(PLATFORM_HOST, token=token).get("/api/tokens")
    assert me.status_code == 200 and len(me.json()) == 1


@pytest.mark.parametrize(
    "body, code",
    [
        ({"email": "not-an-email"}, "invalid_email"),
        ({"email": ""}, "blank"),
        ({}, "required"),
    ],
)
def test_user_create_refuses_bad_email(platform_client, body, code):
    response = platform_client.post("/api/users/create", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert isinstance(response.json()["error"], str)
    assert Seller.objects.filter(email__isnull=False).count() == 2  # the two store owners


def test_user_create_refuses_registered_email_case_insensitively(platform_client):
    platform_client.post("/api/users/create", {"email": "dup@example.com"}, format="json")

    response = platform_client.post(
        "/api/users/create", {"email": "DUP@example.com"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"
    assert Seller.objects.filter(email__iexact="dup@example.com").count() == 1


def test_malformed_json_is_a_400(platform_client):
    response = platform_client.post(
        "/api/users/create", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


def test_wrong_content_type_is_a_415(platform_client):
    response = platform_client.post("/api/users/create", data="email=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@override_settings(REQUEST_MAX_BODY_BYTES=1000)
def test_oversized_body_is_a_413(platform_client):
    response = platform_client.post(
        "/api/users/create", {"email": "a" * 2000 + "@example.com"}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


# OTP ---------------------------------------------------------------------------------------


def test_otp_first_verify_creates_the_seller_then_logs_in(platform_client):
    code = request_and_read_code(platform_client)
    assert len(code) == 6 and code.isdigit()
    assert sms.outbox[-1]["to"] == MOBILE
    assert code not in OtpChallenge.objects.get(mobile=MOBILE).code_hash

    first = platform_client.post(
        "/api/auth/otp/verify", {"mobile": MOBILE, "otp": code}, format="json"
    )

    assert first.status_code == 200
    body = first.json()
    assert body["created"] is True
    assert body["seller"]["mobile"] == MOBILE
    assert set(body) == {"access", "refresh", "seller", "created"}
    me = api_client(PLATFORM_HOST, jwt=body["access"]).get("/api/stores")
    assert me.status_code == 200 and me.json() == []

    OtpChallenge.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    second = platform_client.post(
        "/api/auth/otp/verify",
        {"mobile": MOBILE, "otp": request_and_read_code(platform_client)},
        format="json",
    )
    assert second.status_code == 200 and second.json()["created"] is False
    assert Seller.objects.filter(mobile=MOBILE).count() == 1


def test_otp_is_single_use(platform_client):
    code = request_and_read_code(platform_client)
    platform_client.post("/api/auth/otp/verify", {"mobile": MOBILE, "otp": code}, format="json")

    again = platform_client.post(
        "/api/auth/otp/verify", {"mobile": MOBILE, "otp": code}, format="json"
    )

    assert again.status_code == 400
    assert again.json()["code"] == "otp_not_requested"


def test_otp_expires_after_five_minutes(platform_client):
    code = request_and_read_code(platform_client)
    OtpChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = platform_client.post(
        "/api/auth/otp/verify", {"mobile": MOBILE, "otp": code}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "otp_expired"
    assert not Seller.objects.filter(mobile=MOBILE).exists()


def test_otp_window_is_five_minutes(platform_client):
    request_and_read_code(platform_client)
    challenge = OtpChallenge.objects.get()
    assert challenge.expires_at - challenge.created_at == timedelta(minutes=5)


def test_otp_locks_after_five_wrong_tries_even_for_the_right_code(platform_client):
    code = request_and_read_code(platform_client)
    wrong = "000000" if code != "000000" else "111111"
    codes = []
    for _ in range(5):
        response = platform_client.post(
            "/api/auth/otp/verify", {"mobile": MOBILE, "otp": wrong}, format="json"
        )
        codes.append(response.json()["code"])

    right = platform_client.post(
        "/api/auth/otp/verify", {"mobile": MOBILE, "otp": code}, format="json"
    )

    assert codes == ["otp_invalid"] * 4 + ["otp_locked"]
    assert right.status_code == 400 and right.json()["code"] == "otp_locked"
    assert not Seller.objects.filter(mobile=MOBILE).exists()


def test_otp_resend_is_throttled(platform_client):
    request_and_read_code(platform_client)

    again = platform_client.post("/api/auth/otp/request", {"mobile": MOBILE}, format="json")

    assert again.status_code == 429
    assert again.json()["code"] == "otp_resend_too_soon"
    assert 1 <= int(again["Retry-After"]) <= 30
    assert len(sms.outbox) == 1


def test_otp_sends_per_hour_are_capped_per_audience_too(platform_client, settings):
    # The platform-wide limit out of the way: the per-audience cap in PostgreSQL still holds.
    rates_raised(settings, "otp_request_mobile_hour", "otp_request_mobile_day")
    for _ in range(5):
        request_and_read_code(platform_client)
        OtpChallenge.objects.update(created_at=timezone.now() - timedelta(minutes=2))

    sixth = platform_client.post("/api/auth/otp/request", {"mobile": MOBILE}, format="json")

    assert sixth.status_code == 429
    assert sixth.json()["code"] == "otp_send_limit"
    assert len(sms.outbox) == 5


@pytest.mark.parametrize("mobile", ["98765", "+91123", "hello", ""])
def test_otp_request_refuses_invalid_mobiles(platform_client, mobile):
    response = platform_client.post("/api/auth/otp/request", {"mobile": mobile}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_mobile", "blank"}
    assert OtpChallenge.objects.count() == 0


@override_settings(OTP_FIXED_CODE="424242")
def test_fixed_code_is_accepted_when_configured(platform_client):
    response = platform_client.post(
        "/api/auth/otp/verify", {"mobile": MOBILE, "otp": "424242"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["created"] is True


def test_fixed_code_is_refused_when_not_configured(platform_client):
    request_and_read_code(platform_client)
    response = platform_client.post(
        "/api/auth/otp/verify", {"mobile": MOBILE, "otp": "424242"}, format="json"
    )
    assert response.status_code == 400


def test_token_refresh_gives_a_new_access_token(platform_client, seller_a):
    refresh = RefreshToken.for_user(seller_a)
    refresh["kind"] = "seller"

    response = platform_client.post(
        "/api/auth/token/refresh", {"refresh": str(refresh)}, format="json"
    )

    assert response.status_code == 200
    stores = api_client(PLATFORM_HOST, jwt=response.json()["access"]).get("/api/stores")
    assert [s["slug"] for s in stores.json()] == ["alpha"]


def test_token_refresh_refuses_garbage_and_foreign_kinds(platform_client, seller_a):
    garbage = platform_client.post("/api/auth/token/refresh", {"refresh": "abc"}, format="json")
    buyer = RefreshToken.for_user(seller_a)
    buyer["kind"] = "customer"
    foreign = platform_client.post(
        "/api/auth/token/refresh", {"refresh": str(buyer)}, format="json"
    )

    assert garbage.status_code == 401 and garbage.json()["code"] == "token_invalid"
    assert foreign.status_code == 401


# API tokens --------------------------------------------------------------------------------


def test_api_tokens_create_list_revoke(seller_a):
    client = api_client(PLATFORM_HOST, token=None)
    client.force_authenticate(seller_a)

    created = client.post("/api/tokens", {"name": "ci"}, format="json")
    key = created.json()["key"]
    listed = client.get("/api/tokens")
    by_header = api_client(PLATFORM_HOST)
    by_header.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    works = by_header.get("/api/stores")
    revoked = client.delete(f"/api/tokens/{created.json()['id']}")
    after = by_header.get("/api/stores")

    assert created.status_code == 201 and len(key) == 32
    assert [t["name"] for t in listed.json()] == ["ci"]
    assert "key" not in listed.json()[0]
    assert works.status_code == 200
    assert revoked.status_code == 204
    assert after.status_code == 401 and after.json()["code"] == "authentication_failed"


def test_revoking_another_sellers_token_is_a_404(seller_a, seller_b, api_token_b):
    client = api_client(PLATFORM_HOST)
    client.force_authenticate(seller_a)
    other_id = ApiToken.objects.get(seller=seller_b).pk

    response = client.delete(f"/api/tokens/{other_id}")

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=other_id).exists()


def test_check_deploy_fails_with_a_fixed_code():
    from django.core.checks import ERROR, run_checks

    with override_settings(OTP_FIXED_CODE="123456"):
        failed = [m for m in run_checks(include_deployment_checks=True) if m.id == "accounts.E001"]
    with override_settings(OTP_FIXED_CODE=""):
        quiet = [m.id for m in run_checks(include_deployment_checks=True)]
    assert [m.level for m in failed] == [ERROR]
    assert "accounts.E001" not in quiet
