"""The platform's rate limits (saas/api/throttles.py): sign-up and store creation, the client IP
behind our proxies, the settings, and Redis being away."""

import logging

from django.core.checks import run_checks
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from saas.api import throttles
from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import Seller
from tenants.models import Store
from tests.support.stores import PLATFORM_HOST, store_host
from tests.support.throttles import assert_throttled

# The issue's table: every limit's default.
DEFAULT_RATES = {
    "THROTTLE_RATE_USERS_CREATE": "10/hour",
    "THROTTLE_RATE_OTP_REQUEST_MOBILE_HOUR": "5/hour",
    "THROTTLE_RATE_OTP_REQUEST_MOBILE_DAY": "10/day",
    "THROTTLE_RATE_OTP_REQUEST_IP": "30/hour",
    "THROTTLE_RATE_OTP_VERIFY_IP": "30/hour",
    "THROTTLE_RATE_OTP_VERIFY_MOBILE": "20/day",
    "THROTTLE_RATE_STORES_CREATE_SELLER": "10/day",
    "THROTTLE_RATE_STORES_CREATE_IP": "20/hour",
    "THROTTLE_RATE_CART_CREATE_IP": "120/hour",
}


def client_from(ip: str, seller: Seller | None = None, **extra) -> APIClient:
    client = APIClient(HTTP_HOST=PLATFORM_HOST, REMOTE_ADDR=ip, **extra)
    if seller is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {seller_token_pair(seller)['access']}")
    return client


def sign_up(client: APIClient, email: str):
    return client.post("/api/users/create", {"email": email}, format="json")


# --- sign-up --------------------------------------------------------------------------------


def test_the_11th_sign_up_from_one_ip_is_429(db):
    answers = [sign_up(client_from("203.0.113.5"), f"s{n}@example.com") for n in range(10)]

    eleventh = sign_up(client_from("203.0.113.5"), "s10@example.com")
    other_ip = sign_up(client_from("203.0.113.6"), "s11@example.com")

    assert [a.status_code for a in answers] == [200] * 10
    assert assert_throttled(eleventh, at_most=3600) >= 3590
    assert not Seller.objects.filter(email="s10@example.com").exists()
    assert other_ip.status_code == 200 and set(other_ip.json()) == {"token"}


def test_refused_sign_ups_count_too_so_taken_addresses_cannot_be_probed(db):
    sign_up(client_from("203.0.113.50"), "known@example.com")
    probes = [sign_up(client_from("203.0.113.5"), "known@example.com") for _ in range(10)]

    eleventh = sign_up(client_from("203.0.113.5"), "known@example.com")

    assert [p.json()["code"] for p in probes] == ["email_taken"] * 10
    assert_throttled(eleventh, at_most=3600)


def test_a_client_sent_forwarded_for_header_picks_no_new_bucket(db):
    for n in range(10):
        sign_up(client_from("203.0.113.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), f"f{n}@x.com")

    eleventh = sign_up(client_from("203.0.113.5", HTTP_X_FORWARDED_FOR="10.9.9.9"), "f@x.com")

    assert_throttled(eleventh, at_most=3600)


def test_behind_trusted_proxies_the_client_is_read_from_forwarded_for(db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    for n in range(10):
        # The client put "6.6.6.6" in the header itself; our proxy appended the real address.
        sent = client_from(proxy, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1")
        sign_up(sent, f"p{n}@x.com")

    same_client = sign_up(client_from(proxy, HTTP_X_FORWARDED_FOR="198.51.100.1"), "p@x.com")
    another = sign_up(client_from(proxy, HTTP_X_FORWARDED_FOR="198.51.100.2"), "q@x.com")

    assert_throttled(same_client, at_most=3600)
    assert another.status_code == 200


def test_an_ipv6_client_is_its_64_network(db):
    for n in range(10):
        sign_up(client_from(f"2001:db8:1:2::{n + 1:x}"), f"v{n}@x.com")

    same_network = sign_up(client_from("2001:db8:1:2:ffff::1"), "v@x.com")
    next_network = sign_up(client_from("2001:db8:1:3::1"), "w@x.com")

    assert_throttled(same_network, at_most=3600)
    assert next_network.status_code == 200


# --- store creation -------------------------------------------------------------------------


def create_store(client: APIClient, name: str):
    return client.post("/api/stores", {"name": name}, format="json")


# Each store is a schema, so these two run at a lowered rate (read per request, like the
# defaults); test_every_rate_has_the_issues_default pins the production figures.


def test_one_sellers_store_after_the_daily_limit_is_429(db, settings):
    settings.THROTTLE_RATE_STORES_CREATE_SELLER = "3/day"
    seller = Seller.objects.create_user(mobile="+919800077001")
    made = [
        create_store(client_from(f"198.51.100.{n}", seller), f"Mine {n}").status_code
        for n in range(3)
    ]

    fourth = create_store(client_from("198.51.100.99", seller), "Mine 3")
    listed = client_from("198.51.100.99", seller).get("/api/stores")
    other_seller = create_store(
        client_from("198.51.100.99", Seller.objects.create_user(mobile="+919800077002")), "Theirs"
    )

    assert made == [201] * 3
    assert assert_throttled(fourth, at_most=86400) > 86000
    assert not Store.objects.filter(name="Mine 3").exists()
    assert listed.status_code == 200 and len(listed.json()) == 3
    assert other_seller.status_code == 201


def test_a_store_from_one_ip_after_the_hourly_limit_is_429_whoever_asks(db, settings):
    settings.THROTTLE_RATE_STORES_CREATE_IP = "4/hour"
    ip = "192.0.2.10"
    sellers = [Seller.objects.create_user(mobile=f"+91980007710{n}") for n in range(3)]
    made = [
        create_store(client_from(ip, sellers[n % 3]), f"Shared {n}").status_code for n in range(4)
    ]

    refused = create_store(client_from(ip, sellers[0]), "Shared 4")
    elsewhere = create_store(client_from("192.0.2.11", sellers[0]), "Shared 5")

    assert made == [201] * 4
    assert_throttled(refused, at_most=3600)
    assert not Store.objects.filter(name="Shared 4").exists()
    assert elsewhere.status_code == 201


def test_a_request_refused_before_the_limits_is_not_counted(db):
    anonymous = [create_store(client_from("192.0.2.20"), f"Anon {n}") for n in range(25)]

    seller = Seller.objects.create_user(mobile="+919800077201")
    allowed = create_store(client_from("192.0.2.20", seller), "After")

    assert {r.status_code for r in anonymous} == {401}
    assert allowed.status_code == 201


# --- keys, settings, checks -----------------------------------------------------------------


def test_platform_wide_keys_are_the_same_in_every_schema_and_store_keys_are_not(store_a, store_b):
    keys = {}
    for schema in ("public", store_a.schema_name, store_b.schema_name):
        with schema_context(schema):
            keys[schema] = (
                throttles.OtpVerifyIpThrottle().redis_key("k"),
                throttles.CartCreateIpThrottle().redis_key("k"),
            )

    platform_wide = {wide for wide, _ in keys.values()}
    per_store = {store for _, store in keys.values()}
    assert platform_wide == {"all-schemas::1:k"}
    assert per_store == {
        "public::1:k",
        f"{store_a.schema_name}::1:k",
        f"{store_b.schema_name}::1:k",
    }


def test_every_rate_has_the_issues_default(settings):
    assert {name: getattr(settings, name) for name in DEFAULT_RATES} == DEFAULT_RATES
    assert {throttles.rate_setting_name(t.scope) for t in throttles.THROTTLE_CLASSES} == set(
        DEFAULT_RATES
    )


def test_a_rate_that_does_not_read_is_a_check_error(settings):
    settings.THROTTLE_RATE_CART_CREATE_IP = "120 per hour"
    settings.THROTTLE_RATE_USERS_CREATE = "0/hour"

    errors = [e for e in run_checks() if e.id == "throttles.E001"]

    assert [e.msg.split(":")[0] for e in errors] == [
        "THROTTLE_RATE_USERS_CREATE",
        "THROTTLE_RATE_CART_CREATE_IP",
    ]


def test_the_defaults_pass_the_check():
    assert [e for e in run_checks() if e.id == "throttles.E001"] == []


# --- the cache away or another backend ------------------------------------------------------


def test_without_redis_requests_go_through_with_a_warning(db, settings, caplog):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }

    with caplog.at_level(logging.WARNING, logger="saas.api.throttles"):
        answers = [sign_up(client_from("203.0.113.7"), f"r{n}@x.com") for n in range(11)]

    assert [a.status_code for a in answers] == [200] * 11
    assert "Throttle counters unavailable" in caplog.text


def test_on_a_cache_without_redis_the_limits_hold_across_schemas_too(store_a, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
        }
    }
    store = APIClient(HTTP_HOST=store_host(store_a), REMOTE_ADDR="203.0.113.8")
    requests = [
        (client_from("203.0.113.8"), "/api/auth/otp/request"),
        (store, "/api/customers/otp/request"),
    ]
    answers = [
        requests[n % 2][0].post(requests[n % 2][1], {"mobile": f"+9198770{n:05d}"}).status_code
        for n in range(30)
    ]

    refused = store.post("/api/customers/otp/request", {"mobile": "+919877099999"})

    assert answers == [202] * 30
    assert_throttled(refused, at_most=3600)
