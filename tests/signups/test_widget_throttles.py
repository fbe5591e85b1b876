"""The widget's DRF throttles: client IP behind our proxies, the answer, what is not counted."""

import pytest

from tenant_apps.signups.models import Signup
from tests.support.signups import widget_client
from tests.support.stores import in_store

URL = "/api/widget/signups"


@pytest.fixture
def behind_proxies(settings):
    def set_count(count: int):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return set_count


def post(client, site, email: str, **extra):
    return client.post(f"{URL}?key={site.key}", {"email": email}, format="json", **extra)


def test_the_trusted_proxy_count_is_drf_num_proxies(settings):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.SIGNUP_TRUSTED_PROXY_COUNT == 0


def test_without_trusted_proxies_x_forwarded_for_is_ignored(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    client = widget_client(store_a, REMOTE_ADDR="10.0.0.1")

    first = post(client, site_a, "a@x.com", HTTP_X_FORWARDED_FOR="198.51.100.1")
    spoofed = post(client, site_a, "b@x.com", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert (first.status_code, spoofed.status_code) == (201, 429)
    with in_store(store_a):
        assert list(Signup.objects.values_list("ip_truncated", flat=True)) == ["10.0.0.0"]


def test_behind_one_proxy_the_rightmost_forwarded_address_is_the_client(
    store_a, site_a, settings, behind_proxies
):
    behind_proxies(1)
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    client = widget_client(store_a, REMOTE_ADDR="10.0.0.1")

    first = post(client, site_a, "a@x.com", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1")
    # The client chose another left-hand part: still the same visitor for the throttle.
    again = post(client, site_a, "b@x.com", HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.1")
    other = post(client, site_a, "c@x.com", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert [r.status_code for r in (first, again, other)] == [201, 429, 201]
    with in_store(store_a):
        stored = list(Signup.objects.order_by("id").values_list("email", "ip_truncated"))
    assert stored == [("a@x.com", "198.51.100.0"), ("c@x.com", "203.0.113.0")]


def test_behind_two_proxies_the_second_from_the_right_is_the_client(
    store_a, site_a, behind_proxies
):
    behind_proxies(2)
    client = widget_client(store_a, REMOTE_ADDR="10.0.0.1")

    post(client, site_a, "a@x.com", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7, 10.0.0.2")

    with in_store(store_a):
        assert Signup.objects.get().ip_truncated == "198.51.100.0"


def test_the_429_answer(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    client = widget_client(store_a)
    post(client, site_a, "a@x.com")

    refused = post(client, site_a, "b@x.com")

    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json() == {
        "error": "Too many signups; try again in a moment.",
        "code": "throttled",
        "details": {"retry_after": wait, "retry_after_seconds": wait},
    }


def test_preflights_and_refused_callers_are_not_counted(store_a, site_a, settings):
    settings.SIGNUP_THROTTLE_PER_IP = "1/min"
    client = widget_client(store_a)
    preflights = [client.options(f"{URL}?key={site_a.key}").status_code for _ in range(3)]
    bad_key = client.post(URL, {"email": "k@x.com", "site_key": "pk_nope"}, format="json")
    bad_origin = post(widget_client(store_a, origin="https://evil.example"), site_a, "o@x.com")

    allowed = post(client, site_a, "a@x.com")

    assert preflights == [204, 204, 204]
    assert (bad_key.status_code, bad_origin.status_code) == (403, 403)
    assert allowed.status_code == 201


def test_other_methods_are_405_before_any_key_check(store_a, site_a):
    response = widget_client(store_a).get(URL)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    # The allowed Origin the client sent is not echoed: no site was looked at.
    assert "Access-Control-Allow-Origin" not in response
