"""The OTP flow's platform-wide limits, at their default rates: codes sent per mobile (all
audiences), code requests per IP, wrong codes per IP and per mobile; the fixed SMS text; the
code's shape checked before anything compares it."""

import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from shared_apps.accounts import sms
from shared_apps.accounts.models import OtpChallenge, Seller
from shared_apps.accounts.otp import customer_otp_scope, otp_challenge_request
from tenant_apps.orders.models import Customer
from tenants.models import Store
from tenants.services import store_create
from tests.support.stores import PLATFORM_HOST, in_store, store_host
from tests.support.throttles import assert_throttled, at_time

MOBILE = "+919876500001"
SELLER_REQUEST, SELLER_VERIFY = "/api/auth/otp/request", "/api/auth/otp/verify"
BUYER_REQUEST, BUYER_VERIFY = "/api/customers/otp/request", "/api/customers/otp/verify"
FIXED_TEXT = "Your Seller Suite code, valid for 5 minutes, is {code}"


def client_from(host: str, ip: str = "203.0.113.1") -> APIClient:
    return APIClient(HTTP_HOST=host, REMOTE_ADDR=ip)


def sent_code() -> str:
    return sms.outbox[-1]["text"].rsplit(" ", 1)[-1]


def other_than(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def hosts_and_paths(stores):
    """(host, request path, verify path) of the platform, then of each store's buyers."""
    return [(PLATFORM_HOST, SELLER_REQUEST, SELLER_VERIFY)] + [
        (store_host(store), BUYER_REQUEST, BUYER_VERIFY) for store in stores
    ]


@pytest.fixture
def five_stores(store_a, store_b, seller_a):
    extra = [store_create(owner=seller_a, name=f"Limit {n}", slug=f"limit-{n}") for n in (3, 4, 5)]
    return [store_a, store_b, *extra]


# --- codes sent to one mobile ---------------------------------------------------------------


def test_a_sixth_code_to_one_mobile_within_the_hour_across_five_stores_is_429(five_stores):
    # The platform and four stores' buyer sign-ins: five codes, one in each.
    targets = hosts_and_paths(five_stores)
    sent = [
        client_from(host).post(path, {"mobile": MOBILE}, format="json").status_code
        for host, path, _ in targets[:5]
    ]

    sixth_host, sixth_path, _ = targets[5]
    sixth = client_from(sixth_host, ip="198.51.100.9").post(
        sixth_path, {"mobile": MOBILE}, format="json"
    )

    assert sent == [202] * 5
    assert assert_throttled(sixth, at_most=3600) >= 3590
    assert sixth.json()["error"] == "Too many codes were sent to this number; try again later."
    assert len(sms.outbox) == 5
    assert OtpChallenge.objects.filter(mobile=MOBILE).count() == 5
    assert not OtpChallenge.objects.filter(scope=customer_otp_scope(five_stores[4].schema_name))


def test_the_mobile_is_matched_whatever_its_spelling(store_a):
    for _ in range(5):
        client_from(PLATFORM_HOST).post(SELLER_REQUEST, {"mobile": MOBILE}, format="json")
        OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))

    spelled = client_from(store_host(store_a)).post(
        BUYER_REQUEST, {"mobile": "+91 98765 00001"}, format="json"
    )

    assert_throttled(spelled, at_most=3600)
    assert len(sms.outbox) == 5


def test_ten_codes_a_day_to_one_mobile(platform_client, monkeypatch):
    start = float(int(time.time()))
    statuses = []
    for number in range(10):
        at_time(monkeypatch, start + 3601 * (number // 5))  # five in one hour, five in the next
        response = client_from(PLATFORM_HOST).post(
            SELLER_REQUEST, {"mobile": MOBILE}, format="json"
        )
        statuses.append(response.status_code)
        # Past the per-audience resend wait and hourly cap, which PostgreSQL keeps.
        OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))
    at_time(monkeypatch, start + 3601 * 2)

    eleventh = client_from(PLATFORM_HOST).post(SELLER_REQUEST, {"mobile": MOBILE}, format="json")

    assert statuses == [202] * 10
    assert assert_throttled(eleventh, at_most=86400) == 86400 - 3601 * 2
    assert len(sms.outbox) == 10


def test_a_refused_request_does_not_use_up_the_mobiles_codes(platform_client):
    first = client_from(PLATFORM_HOST).post(SELLER_REQUEST, {"mobile": MOBILE}, format="json")
    too_soon = [
        client_from(PLATFORM_HOST).post(SELLER_REQUEST, {"mobile": MOBILE}, format="json")
        for _ in range(5)
    ]
    later = []
    for _ in range(4):
        OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))
        later.append(
            client_from(PLATFORM_HOST)
            .post(SELLER_REQUEST, {"mobile": MOBILE}, format="json")
            .status_code
        )

    assert first.status_code == 202
    assert [r.json()["code"] for r in too_soon] == ["otp_resend_too_soon"] * 5
    assert all(r["Retry-After"] == str(r.json()["details"]["retry_after"]) for r in too_soon)
    assert later == [202] * 4
    assert len(sms.outbox) == 5


def test_codes_asked_on_the_sign_in_page_count_for_the_mobile_too(store_a):
    page = client_from(PLATFORM_HOST)
    for _ in range(5):
        assert page.post("/login", {"mobile": MOBILE}).status_code == 200
        OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))

    by_api = client_from(store_host(store_a)).post(BUYER_REQUEST, {"mobile": MOBILE}, format="json")
    by_page = page.post("/login", {"mobile": MOBILE})

    assert_throttled(by_api, at_most=3600)
    assert by_page.status_code == 400
    assert b"Too many codes were sent to this number" in by_page.content
    assert len(sms.outbox) == 5


# --- code requests per IP -------------------------------------------------------------------


def test_the_31st_code_request_from_one_ip_is_429_whatever_the_audience(store_a, store_b):
    mobiles = [f"+9198766{number:05d}" for number in range(100, 131)]
    targets = hosts_and_paths([store_a, store_b])
    statuses = [
        client_from(targets[n % 3][0], ip="192.0.2.7")
        .post(targets[n % 3][1], {"mobile": mobile}, format="json")
        .status_code
        for n, mobile in enumerate(mobiles[:30])
    ]

    refused = client_from(PLATFORM_HOST, ip="192.0.2.7").post(
        SELLER_REQUEST, {"mobile": mobiles[30]}, format="json"
    )
    elsewhere = client_from(PLATFORM_HOST, ip="192.0.2.8").post(
        SELLER_REQUEST, {"mobile": mobiles[30]}, format="json"
    )

    assert statuses == [202] * 30
    assert_throttled(refused, at_most=3600)
    assert elsewhere.status_code == 202, elsewhere.json()
    assert len(sms.outbox) == 31


# --- wrong codes ----------------------------------------------------------------------------


def test_wrong_codes_from_one_ip_over_many_mobiles_hit_429_then_even_a_right_code(
    store_a, monkeypatch
):
    attacker = "192.0.2.66"
    targets = hosts_and_paths([store_a])
    answers = []
    for number in range(6):  # 6 mobiles x 5 wrong tries = 30 wrong codes, both audiences
        host, request_path, verify_path = targets[number % 2]
        mobile = f"+9198766{number:05d}"
        client_from(host, ip="198.51.100.1").post(request_path, {"mobile": mobile}, format="json")
        wrong = other_than(sent_code())
        answers += [
            client_from(host, ip=attacker)
            .post(verify_path, {"mobile": mobile, "otp": wrong}, format="json")
            .json()["code"]
            for _ in range(5)
        ]
    client_from(PLATFORM_HOST, ip="198.51.100.1").post(
        SELLER_REQUEST, {"mobile": MOBILE}, format="json"
    )
    right = {"mobile": MOBILE, "otp": sent_code()}

    refused = client_from(PLATFORM_HOST, ip=attacker).post(SELLER_VERIFY, right, format="json")
    signed_in_while_refused = Seller.objects.filter(mobile=MOBILE).exists()
    at_time(monkeypatch, time.time() + 3601)
    after_the_window = client_from(PLATFORM_HOST, ip=attacker).post(
        SELLER_VERIFY, right, format="json"
    )

    assert answers == (["otp_invalid"] * 4 + ["otp_locked"]) * 6
    assert_throttled(refused, at_most=3600)
    assert signed_in_while_refused is False
    assert after_the_window.status_code == 200
    assert after_the_window.json()["seller"]["mobile"] == MOBILE


def test_wrong_codes_for_one_mobile_from_many_ips_hit_429_at_20_a_day(store_a, store_b):
    scopes_and_paths = [
        ("seller", PLATFORM_HOST, SELLER_VERIFY),
        (customer_otp_scope(store_a.schema_name), store_host(store_a), BUYER_VERIFY),
        (customer_otp_scope(store_b.schema_name), store_host(store_b), BUYER_VERIFY),
        ("seller", PLATFORM_HOST, SELLER_VERIFY),
    ]
    answers = []
    for round_number, (scope, host, path) in enumerate(scopes_and_paths):
        OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))
        otp_challenge_request(mobile=MOBILE, scope=scope)
        wrong = other_than(sent_code())
        answers += [
            client_from(host, ip=f"198.51.100.{round_number * 5 + n + 10}")
            .post(path, {"mobile": MOBILE, "otp": wrong}, format="json")
            .json()["code"]
            for n in range(5)
        ]
    OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))
    otp_challenge_request(mobile=MOBILE, scope=customer_otp_scope(store_a.schema_name))
    right = {"mobile": MOBILE, "otp": sent_code()}

    refused = client_from(store_host(store_a), ip="203.0.113.200").post(
        BUYER_VERIFY, right, format="json"
    )
    other_mobile = client_from(store_host(store_a), ip="198.51.100.10").post(
        BUYER_VERIFY, {"mobile": "+919876500002", "otp": "123456"}, format="json"
    )

    assert answers == (["otp_invalid"] * 4 + ["otp_locked"]) * 4
    assert assert_throttled(refused, at_most=86400) > 86000
    assert other_mobile.status_code == 400
    assert other_mobile.json()["code"] == "otp_not_requested"
    with in_store(store_a):
        assert not Customer.objects.filter(mobile=MOBILE).exists()


def test_wrong_codes_on_the_sign_in_page_count_for_the_ip(platform_client):
    attacker = client_from(PLATFORM_HOST, ip="192.0.2.99")
    for number in range(6):
        mobile = f"+9198766{number:05d}"
        otp_challenge_request(mobile=mobile, scope="seller")
        wrong = other_than(sent_code())
        for _ in range(5):
            attacker.post("/login", {"step": "verify", "mobile": mobile, "otp": wrong})

    page = attacker.post("/login", {"step": "verify", "mobile": MOBILE, "otp": "123456"})
    api = attacker.post(SELLER_VERIFY, {"mobile": MOBILE, "otp": "123456"}, format="json")

    assert page.status_code == 400 and b"Too many requests" in page.content
    assert_throttled(api, at_most=3600)


def test_codes_that_are_not_a_guess_are_not_counted(platform_client):
    otp_challenge_request(mobile=MOBILE, scope="seller")
    code = sent_code()
    answers = [
        client_from(PLATFORM_HOST)
        .post(SELLER_VERIFY, {"mobile": f"+9198766{n:05d}", "otp": "123456"}, format="json")
        .json()["code"]
        for n in range(200, 240)  # no code was asked for these numbers
    ]

    right = client_from(PLATFORM_HOST).post(
        SELLER_VERIFY, {"mobile": MOBILE, "otp": code}, format="json"
    )

    assert answers == ["otp_not_requested"] * 40
    assert right.status_code == 200


# --- the SMS text ---------------------------------------------------------------------------


def test_the_buyer_sms_is_the_fixed_text_whatever_the_store_is_called(store_a):
    Store.objects.filter(pk=store_a.pk).update(
        name="SBI Alert: your account is blocked, visit evil.example {code}"
    )

    response = client_from(store_host(store_a)).post(
        BUYER_REQUEST, {"mobile": MOBILE}, format="json"
    )

    assert response.status_code == 202
    [message] = sms.outbox
    assert message == {"to": MOBILE, "text": FIXED_TEXT.format(code=sent_code())}
    assert len(sent_code()) == 6 and sent_code().isdigit()


def test_sellers_get_the_same_text(platform_client):
    client_from(PLATFORM_HOST).post(SELLER_REQUEST, {"mobile": MOBILE}, format="json")

    assert sms.outbox == [{"to": MOBILE, "text": FIXED_TEXT.format(code=sent_code())}]


@override_settings(OTP_TTL_SECONDS=90)
def test_the_text_says_the_codes_lifetime(platform_client):
    client_from(PLATFORM_HOST).post(SELLER_REQUEST, {"mobile": MOBILE}, format="json")

    assert (
        sms.outbox[-1]["text"] == f"Your Seller Suite code, valid for 90 seconds, is {sent_code()}"
    )


# --- the code's shape -----------------------------------------------------------------------


SHAPES = [
    ({"mobile": "+919800000001", "otp": "é"}, "otp_invalid"),
    ({"mobile": "+919800000001", "otp": "١٢٣٤٥٦"}, "otp_invalid"),  # Arabic-Indic digits
    ({"mobile": "+919800000001", "otp": "²²²²²²"}, "otp_invalid"),
    ({"mobile": "+919800000001", "otp": "12345"}, "otp_invalid"),
    ({"mobile": "+919800000001", "otp": "1234567"}, "otp_invalid"),
    ({"mobile": "+919800000001", "otp": "12\x003456"}, "otp_invalid"),
    ({"mobile": "+91980000\x000001", "otp": "123456"}, "null_characters_not_allowed"),
    ({"mobile": "+919800000001", "otp": ["123456"]}, "invalid"),
    ({"mobile": ["+919800000001"], "otp": "123456"}, "invalid"),
]


@pytest.mark.parametrize("body, code", SHAPES)
@pytest.mark.parametrize("path", ["platform", "store"])
@override_settings(OTP_FIXED_CODE="424242")
def test_a_code_of_the_wrong_shape_is_a_400_before_any_comparison(store_a, path, body, code):
    host, verify = (PLATFORM_HOST, SELLER_VERIFY) if path == "platform" else (
        store_host(store_a), BUYER_VERIFY
    )  # fmt: skip
    scope = "seller" if path == "platform" else customer_otp_scope(store_a.schema_name)
    otp_challenge_request(mobile="+919800000001", scope=scope)

    response = client_from(host).post(verify, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert OtpChallenge.objects.get(scope=scope).attempts == 0


@pytest.mark.parametrize("otp", ["é", "12\x003456", "abcdef"])
@override_settings(OTP_FIXED_CODE="424242")
def test_the_sign_in_page_checks_the_shape_too(platform_client, otp):
    otp_challenge_request(mobile=MOBILE, scope="seller")

    page = client_from(PLATFORM_HOST).post(
        "/login", {"step": "verify", "mobile": MOBILE, "otp": otp}
    )

    assert page.status_code == 400
    assert b"Enter the 6-digit code from the SMS." in page.content
    assert OtpChallenge.objects.get().attempts == 0


@pytest.mark.parametrize("mobile", ["+9198\x0000001", "\x00"])
def test_a_nul_in_the_mobile_is_a_400_when_asking_for_a_code(store_a, mobile):
    platform = client_from(PLATFORM_HOST).post(SELLER_REQUEST, {"mobile": mobile}, format="json")
    store = client_from(store_host(store_a)).post(BUYER_REQUEST, {"mobile": mobile}, format="json")

    assert (platform.status_code, store.status_code) == (400, 400)
    assert platform.json()["code"] == store.json()["code"] == "null_characters_not_allowed"
    assert sms.outbox == []
