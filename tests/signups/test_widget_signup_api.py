"""The public widget endpoint: keys, origins, CORS, duplicates, honeypot, limits, throttles."""

import logging

import pytest
from django.utils import timezone

from tenant_apps.signups.models import Signup
from tests.support.signups import SHOP_ORIGIN, widget_client
from tests.support.stores import in_store

URL = "/api/widget/signups"


def signups_in(store) -> list[Signup]:
    with in_store(store):
        return list(Signup.objects.order_by("id"))


def test_new_email_is_stored_and_answered_201(store_a, site_a):
    client = widget_client(store_a, HTTP_USER_AGENT="Firefox/130", REMOTE_ADDR="203.0.113.77")
    before = timezone.now()

    response = client.post(
        f"{URL}?key={site_a.key}",
        {"email": "  Ada@Example.COM ", "name": "Ada", "consent": True,
         "page_url": "https://shop.alpha.example/teas?x=1"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    assert response.json() == {"status": "subscribed"}
    assert response["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert response["Vary"] == "Origin"
    [signup] = signups_in(store_a)
    assert signup.email == "ada@example.com"
    assert signup.name == "Ada"
    assert signup.site_id == site_a.id
    assert signup.page_url == "https://shop.alpha.example/teas?x=1"
    assert signup.consent is True
    assert before <= signup.consent_at <= timezone.now()
    assert signup.ip_truncated == "203.0.113.0"
    assert signup.user_agent == "Firefox/130"
    assert before <= signup.created_at <= timezone.now()


def test_known_email_answers_200_with_the_same_body_and_no_second_row(store_a, site_a):
    client = widget_client(store_a)
    first = client.post(f"{URL}?key={site_a.key}", {"email": "bo@example.com"}, format="json")

    again = client.post(
        f"{URL}?key={site_a.key}", {"email": "BO@example.com", "name": "Other"}, format="json"
    )

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json() == {"status": "subscribed"}
    [signup] = signups_in(store_a)
    assert (signup.email, signup.name) == ("bo@example.com", "")


@pytest.mark.parametrize("path", [URL, URL + "/"])
def test_key_in_header_body_or_query_and_both_url_forms(store_a, site_a, path):
    client = widget_client(store_a)

    by_header = client.post(path, {"email": "h@example.com"}, format="json",
                            HTTP_X_SITE_KEY=site_a.key)  # fmt: skip
    by_body = client.post(path, {"email": "b@example.com", "site_key": site_a.key}, format="json")
    by_query = client.post(f"{path}?key={site_a.key}", {"email": "q@example.com"}, format="json")

    assert [by_header.status_code, by_body.status_code, by_query.status_code] == [201, 201, 201]
    assert [s.email for s in signups_in(store_a)] == [
        "h@example.com",
        "b@example.com",
        "q@example.com",
    ]


def test_form_encoded_and_multipart_bodies_are_accepted(store_a, site_a):
    client = widget_client(store_a)
    urlencoded = client.post(
        URL,
        f"email=enc%40example.com&site_key={site_a.key}&consent=on",
        content_type="application/x-www-form-urlencoded",
    )
    multipart = client.post(URL, {"email": "multi@example.com", "site_key": site_a.key})

    assert (urlencoded.status_code, multipart.status_code) == (201, 201)
    signups = signups_in(store_a)
    assert [(s.email, s.consent) for s in signups] == [
        ("enc@example.com", True),
        ("multi@example.com", False),
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"email": "not-an-email"}, "invalid_email"),
        ({"email": "a@b"}, "invalid_email"),
        ({"email": "x" * 250 + "@example.com"}, "invalid_email"),
        ({"email": "x" * 1000 + "@example.com"}, "invalid_email"),
        ({"email": ""}, "blank"),
        ({}, "required"),
        ({"email": ["a@example.com"]}, "invalid"),
        ({"email": "ok@example.com", "consent": "maybe"}, "invalid"),
    ],
)
def test_bad_input_is_400_and_stores_nothing(store_a, site_a, body, code):
    response = widget_client(store_a).post(f"{URL}?key={site_a.key}", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["error"]
    assert signups_in(store_a) == []


def test_malformed_json_and_non_object_bodies_are_400(store_a, site_a):
    client = widget_client(store_a)
    broken = client.post(f"{URL}?key={site_a.key}", "{not json", content_type="application/json")
    array = client.post(f"{URL}?key={site_a.key}", ["a@example.com"], format="json")
    assert (broken.status_code, broken.json()["code"]) == (400, "malformed_body")
    assert (array.status_code, array.json()["code"]) == (400, "malformed_body")


@pytest.mark.parametrize("key", ["", "pk_unknownunknownunknownunknown", "sk_whatever", "x" * 500])
def test_unknown_key_is_403(store_a, site_a, key):
    response = widget_client(store_a).post(
        URL, {"email": "a@example.com", "site_key": key}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "invalid_site_key"
    assert "Access-Control-Allow-Origin" not in response
    assert signups_in(store_a) == []


def test_inactive_site_key_is_403(store_a, site_a):
    with in_store(store_a):
        site_a.is_active = False
        site_a.save()
    response = widget_client(store_a).post(
        f"{URL}?key={site_a.key}", {"email": "a@example.com"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "invalid_site_key")
    assert signups_in(store_a) == []


@pytest.mark.parametrize(
    "origin, readable_by",
    [("https://evil.example", "https://evil.example"),
     ("http://shop.alpha.example", "http://shop.alpha.example"),
     ("https://shop.alpha.example:8443", "https://shop.alpha.example:8443"),
     ("https://sub.shop.alpha.example", "https://sub.shop.alpha.example"),
     ("null", None)],
)  # fmt: skip
def test_origin_not_in_the_list_is_403_readable_by_the_widget(store_a, site_a, origin, readable_by):
    response = widget_client(store_a, origin=origin).post(
        f"{URL}?key={site_a.key}", {"email": "a@example.com"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"
    # The widget on that page reads the code and says the site is not set up; an opaque
    # origin ("null": a sandboxed frame, a file) is never echoed.
    assert response.get("Access-Control-Allow-Origin") == readable_by
    assert signups_in(store_a) == []


def test_referer_stands_in_for_a_missing_origin(store_a, site_a):
    client = widget_client(store_a, origin=None)
    allowed = client.post(
        f"{URL}?key={site_a.key}", {"email": "r@example.com"}, format="json",
        HTTP_REFERER="https://shop.alpha.example/about",
    )  # fmt: skip
    refused = client.post(
        f"{URL}?key={site_a.key}", {"email": "s@example.com"}, format="json",
        HTTP_REFERER="https://elsewhere.example/about",
    )  # fmt: skip
    bare = client.post(f"{URL}?key={site_a.key}", {"email": "t@example.com"}, format="json")

    assert allowed.status_code == 201
    assert (refused.status_code, refused.json()["code"]) == (403, "origin_not_allowed")
    assert (bare.status_code, bare.json()["code"]) == (403, "origin_not_allowed")
    [signup] = signups_in(store_a)
    assert (signup.email, signup.page_url) == ("r@example.com", "https://shop.alpha.example/about")


def test_store_b_key_is_refused_on_store_a(store_a, store_b, site_a, site_b):
    response = widget_client(store_a).post(
        f"{URL}?key={site_b.key}", {"email": "cross@example.com"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "invalid_site_key")
    assert signups_in(store_a) == []
    assert signups_in(store_b) == []


def test_same_email_in_two_stores_is_two_signups(store_a, store_b, site_a, site_b):
    a = widget_client(store_a).post(
        f"{URL}?key={site_a.key}", {"email": "both@example.com"}, format="json"
    )
    b = widget_client(store_b).post(
        f"{URL}?key={site_b.key}", {"email": "both@example.com"}, format="json"
    )
    assert (a.status_code, b.status_code) == (201, 201)
    assert [s.email for s in signups_in(store_a)] == ["both@example.com"]
    assert [s.email for s in signups_in(store_b)] == ["both@example.com"]


def test_filled_honeypot_answers_like_success_and_stores_nothing(store_a, site_a):
    response = widget_client(store_a).post(
        f"{URL}?key={site_a.key}",
        {"email": "bot@example.com", "website": "http://spam.example"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {"status": "subscribed"}
    assert signups_in(store_a) == []


def test_body_over_4kb_is_413_and_stores_nothing(store_a, site_a):
    response = widget_client(store_a).post(
        f"{URL}?key={site_a.key}",
        {"email": "big@example.com", "name": "x" * 4200},
        format="json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["details"] == {"max_bytes": 4096}
    assert signups_in(store_a) == []


def test_unsafe_page_url_is_dropped(store_a, site_a):
    response = widget_client(store_a).post(
        f"{URL}?key={site_a.key}",
        {"email": "js@example.com", "page_url": "javascript:alert(1)"},
        format="json",
    )
    assert response.status_code == 201
    assert signups_in(store_a)[0].page_url == ""


def test_ipv6_address_is_truncated_to_48_bits(store_a, site_a):
    client = widget_client(store_a, REMOTE_ADDR="2001:db8:abcd:12:34:56:78:9a")
    client.post(f"{URL}?key={site_a.key}", {"email": "v6@example.com"}, format="json")
    assert signups_in(store_a)[0].ip_truncated == "2001:db8:abcd::"


# --- CORS preflight -------------------------------------------------------------------------


def test_preflight_for_an_allowed_origin_echoes_it(store_a, site_a):
    response = widget_client(store_a).options(
        f"{URL}?key={site_a.key}",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-site-key",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert response["Access-Control-Allow-Methods"] == "POST"
    assert response["Access-Control-Allow-Headers"] == "Content-Type, X-Site-Key"
    assert response["Vary"] == "Origin"
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_without_key_uses_every_active_site_of_the_store(store_a, site_a):
    allowed = widget_client(store_a).options(URL + "/")
    refused = widget_client(store_a, origin="https://evil.example").options(URL)
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused


def test_preflight_with_a_key_lets_any_origin_send_the_checked_post(store_a, site_a):
    # The POST checks the origin and answers a refusal the widget can read; refusing the
    # preflight would leave the widget a blind network error instead.
    other = widget_client(store_a, origin="https://blog.example").options(f"{URL}?key={site_a.key}")
    assert other.status_code == 204
    assert other["Access-Control-Allow-Origin"] == "https://blog.example"


def test_preflight_for_other_store_key_or_no_origin_is_refused(store_a, site_a, site_b):
    other_key = widget_client(store_a).options(f"{URL}?key={site_b.key}")
    no_origin = widget_client(store_a, origin=None).options(f"{URL}?key={site_a.key}")
    for response in (other_key, no_origin):
        assert response.status_code == 403
        assert response.json()["code"] == "origin_not_allowed"
        assert "Access-Control-Allow-Origin" not in response


def test_errors_to_an_allowed_origin_are_readable_by_the_widget(store_a, site_a):
    response = widget_client(store_a).post(
        f"{URL}?key={site_a.key}", {"email": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == SHOP_ORIGIN


# --- throttles ------------------------------------------------------------------------------


def test_per_ip_throttle_gives_429_with_retry_after(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "3/min"
    settings.SIGNUP_THROTTLE_PER_SITE = "100/min"
    client = widget_client(store_a, REMOTE_ADDR="198.51.100.5")
    statuses = [
        client.post(f"{URL}?key={site_a.key}", {"email": f"t{i}@example.com"}, format="json")
        for i in range(4)
    ]
    other_ip = widget_client(store_a, REMOTE_ADDR="198.51.100.6").post(
        f"{URL}?key={site_a.key}", {"email": "other@example.com"}, format="json"
    )

    assert [r.status_code for r in statuses] == [201, 201, 201, 429]
    throttled = statuses[-1]
    assert throttled.json()["code"] == "throttled"
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert throttled.json()["details"]["retry_after_seconds"] == int(throttled["Retry-After"])
    assert throttled["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert other_ip.status_code == 201
    assert [s.email for s in signups_in(store_a)] == [
        "t0@example.com", "t1@example.com", "t2@example.com", "other@example.com",
    ]  # fmt: skip


def test_per_site_throttle_counts_every_ip(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "100/min"
    settings.SIGNUP_THROTTLE_PER_SITE = "2/min"
    statuses = [
        widget_client(store_a, REMOTE_ADDR=f"198.51.100.{i}")
        .post(f"{URL}?key={site_a.key}", {"email": f"s{i}@example.com"}, format="json")
        .status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert len(signups_in(store_a)) == 2


def test_throttle_counters_of_one_store_do_not_limit_another(
    store_a, store_b, site_a, site_b, settings
):
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    a = [
        widget_client(store_a).post(f"{URL}?key={site_a.key}", {"email": f"a{i}@x.com"},
                                    format="json").status_code
        for i in range(2)
    ]  # fmt: skip
    b = widget_client(store_b).post(f"{URL}?key={site_b.key}", {"email": "b@x.com"}, format="json")
    # Both sites have id 1 in their own schema: only the store prefix keeps the counters apart.
    assert site_a.id == site_b.id
    assert a == [201, 429]
    assert b.status_code == 201


def test_honeypot_requests_are_throttled_too(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    client = widget_client(store_a)
    body = {"email": "bot@example.com", "website": "x"}
    first = client.post(f"{URL}?key={site_a.key}", body, format="json")
    second = client.post(f"{URL}?key={site_a.key}", body, format="json")
    assert (first.status_code, second.status_code) == (201, 429)


def test_redis_down_fails_open_with_a_warning(store_a, site_a, settings, caplog):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    client = widget_client(store_a)

    with caplog.at_level(logging.WARNING, logger="tenant_apps.signups.throttles"):
        first = client.post(f"{URL}?key={site_a.key}", {"email": "r1@example.com"}, format="json")
        second = client.post(f"{URL}?key={site_a.key}", {"email": "r2@example.com"}, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert [s.email for s in signups_in(store_a)] == ["r1@example.com", "r2@example.com"]
    warnings = [r for r in caplog.records if r.name == "tenant_apps.signups.throttles"]
    assert len(warnings) == 2  # one per request
    assert all("letting the request through" in r.getMessage() for r in warnings)


def test_endpoint_is_absent_on_the_platform_host(platform_client, site_a):
    response = platform_client.post(
        f"{URL}?key={site_a.key}", {"email": "p@example.com"}, format="json",
        HTTP_ORIGIN=SHOP_ORIGIN,
    )  # fmt: skip
    assert response.status_code == 404


def test_throttle_works_on_a_cache_without_redis_too(store_a, site_a, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
        }
    }
    settings.SIGNUP_THROTTLE_PER_IP = "2/min"
    client = widget_client(store_a)
    statuses = [
        client.post(f"{URL}?key={site_a.key}", {"email": f"l{i}@x.com"}, format="json").status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_requests_refused_per_ip_do_not_use_up_the_site_budget(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    settings.SIGNUP_THROTTLE_PER_SITE = "2/min"

    def post(ip, email):
        client = widget_client(store_a, REMOTE_ADDR=ip)
        return client.post(f"{URL}?key={site_a.key}", {"email": email}, format="json").status_code

    noisy = [post("198.51.100.1", f"n{i}@x.com") for i in range(3)]
    quiet = post("198.51.100.2", "q@x.com")
    third = post("198.51.100.3", "t@x.com")

    assert noisy == [201, 429, 429]
    assert (quiet, third) == (201, 429)


@pytest.mark.parametrize("key", ["pk_abc\x00def", "pk_" + "a" * 2000, "pk_a b"])
def test_keys_with_strange_bytes_are_403_not_500(store_a, site_a, key):
    response = widget_client(store_a).post(
        URL, {"email": "a@example.com", "site_key": key}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "invalid_site_key")


def test_nul_bytes_in_fields_are_400_not_500(store_a, site_a):
    client = widget_client(store_a, HTTP_USER_AGENT="agent\x00x")
    name = client.post(
        f"{URL}?key={site_a.key}", {"email": "n@example.com", "name": "a\x00b"}, format="json"
    )
    agent = client.post(f"{URL}?key={site_a.key}", {"email": "u@example.com"}, format="json")
    assert name.status_code == 400
    assert agent.status_code == 201
    assert [(s.email, s.user_agent) for s in signups_in(store_a)] == [("u@example.com", "agentx")]
