"""The platform host's pages: landing, the one sign-up/sign-in flow, Create your store, Your
stores with Open console (the hand-off), and the account page."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.utils import timezone

from saas.api.authentication import seller_token_pair
from shared_apps.accounts import sms
from shared_apps.accounts.models import ApiToken, OtpChallenge, Seller, StoreMembership
from shared_apps.accounts.services import api_token_create
from tenants.models import Store
from tests.support.console import console_client
from tests.support.stores import PLATFORM_HOST, api_client, in_store, store_host

NEW_MOBILE = "+919876512345"


def platform(ip: str = "203.0.113.7") -> Client:
    return Client(HTTP_HOST=PLATFORM_HOST, REMOTE_ADDR=ip)


def signed_in(seller: Seller) -> Client:
    client = platform()
    client.force_login(seller, backend="django.contrib.auth.backends.ModelBackend")
    return client


def sent_code() -> str:
    return sms.outbox[-1]["text"].rsplit(" ", 1)[-1]


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def field_error(response, field: str) -> list[str]:
    """The messages shown under one field of the page."""
    html = response.content.decode()
    found = re.findall(rf'<p class="field-error" id="id_{field}_error">([^<]*)</p>', html)
    return [unescape(message) for message in found]


def sign_in(client: Client, mobile: str, typed: str | None = None):
    asked = client.post("/start", {"mobile": typed or mobile})
    assert (asked.status_code, asked["Location"]) == (302, "/start/code")
    return client.post("/start/code", {"otp": sent_code()})


def named(seller: Seller, name: str = "Asha Rao") -> Seller:
    seller.name = name
    seller.save(update_fields=["name"])
    return seller


def handoff_parts(location: str) -> tuple[str, dict]:
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


# --- landing --------------------------------------------------------------------------------


def test_the_landing_page_says_what_each_tool_does_and_offers_start_selling(db):
    response = platform().get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Run your online store from one place</h1>" in html
    assert '<a class="button big" href="/start">Start selling</a>' in html
    tools = re.findall(r"<h3>([^<]+)</h3>", html)
    assert tools == [
        "Storefront and orders",
        "Signups from your own website",
        "Conversations with buyers",
        "Support analytics",
        "GitHub traffic history",
        "Your team",
    ]


def test_a_signed_in_seller_sees_their_stores_instead_of_start_selling(seller_a):
    html = signed_in(seller_a).get("/").content.decode()

    assert '<a class="button big" href="/stores">Your stores</a>' in html
    assert "Start selling" not in html
    assert '<a href="/account">Account</a>' in html


# --- sign-up and sign-in --------------------------------------------------------------------


def test_a_first_time_seller_signs_up_names_themselves_and_lands_in_the_new_store(
    db, django_capture_on_commit_callbacks
):
    client = platform()

    asked = client.post("/start", {"mobile": "98765 12345"})  # no +91: Indian
    code_page = client.get("/start/code")
    verified = client.post("/start/code", {"otp": sent_code()})
    about = client.get("/start/about-you")
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post("/start/about-you", {"name": " Asha  Rao ", "email": "Asha@Shop.in"})
    onwards = client.get(saved["Location"])
    form = client.get("/stores/new")
    created = client.post(
        "/stores/new",
        {"name": "Mango Pickles", "address": "4 Market Rd, Pune", "timezone": "Asia/Kolkata"},
    )

    assert (asked.status_code, asked["Location"]) == (302, "/start/code")
    assert sms.outbox[0]["to"] == NEW_MOBILE
    assert f"<strong>{NEW_MOBILE}</strong>" in code_page.content.decode()
    assert (verified.status_code, verified["Location"]) == (302, "/start/about-you")
    seller = Seller.objects.get(mobile=NEW_MOBILE)
    assert about.status_code == 200 and "<h1>About you</h1>" in about.content.decode()
    assert (saved.status_code, saved["Location"]) == (302, "/start/next")
    seller.refresh_from_db()
    assert (seller.name, seller.email, seller.email_verified_at) == (
        "Asha Rao",
        "asha@shop.in",
        None,
    )
    [verification] = mail.outbox
    assert verification.to == ["asha@shop.in"]
    assert (onwards.status_code, onwards["Location"]) == (302, "/stores/new")
    assert 'value="UTC" selected' in form.content.decode()
    assert '<option value="Asia/Kolkata">Kolkata</option>' in form.content.decode()
    store = Store.objects.get(slug="mango-pickles")
    assert (store.name, store.address, store.timezone, store.owner) == (
        "Mango Pickles", "4 Market Rd, Pune", "Asia/Kolkata", seller,
    )  # fmt: skip
    assert StoreMembership.objects.get(store=store).role == "owner"
    target, query = handoff_parts(created["Location"])
    assert created.status_code == 302
    assert target == "http://mango-pickles.localhost:8000/console/handoff"
    assert query["next"] == ["/console/"]

    store_browser = Client(HTTP_HOST="mango-pickles.localhost")
    landed = store_browser.get(
        "/console/handoff", {"token": query["token"][0], "next": "/console/"}
    )
    console = store_browser.get("/console/")
    assert (landed.status_code, landed["Location"]) == (302, "/console/")
    assert console.status_code == 200


def test_a_returning_seller_with_one_store_goes_straight_to_its_console(seller_a, store_a):
    named(seller_a)
    client = platform()

    verified = sign_in(client, seller_a.mobile)
    onwards = client.get(verified["Location"])

    assert (verified.status_code, verified["Location"]) == (302, "/start/next")
    target, query = handoff_parts(onwards["Location"])
    assert target == "http://alpha.localhost:8000/console/handoff"
    assert list(query) == ["token", "next"]
    assert Seller.objects.filter(mobile=seller_a.mobile).count() == 1


def test_a_returning_seller_with_many_stores_gets_the_list(seller_a, store_a, store_b):
    named(seller_a)
    StoreMembership.objects.create(store=store_b, seller=seller_a, role="staff")
    client = platform()

    verified = sign_in(client, seller_a.mobile)
    onwards = client.get(verified["Location"])
    stores = client.get("/stores")

    assert (onwards.status_code, onwards["Location"]) == (302, "/stores")
    html = stores.content.decode()
    assert re.findall(r"<h2>([^<]+)</h2>", html) == ["Alpha", "Beta"]
    assert re.findall(r'<span class="status">([^<]+)</span>', html) == ["Owner", "Staff"]
    assert (
        f'href="/stores/{store_a.pk}/open"' in html and f'href="/stores/{store_b.pk}/open"' in html
    )
    assert (
        'Store link: <a href="http://alpha.localhost:8000/">http://alpha.localhost:8000/</a>'
        in html
    )
    assert "token=" not in html  # a hand-off is made on click only


def test_a_seller_without_a_store_is_asked_to_create_one(db):
    seller = Seller.objects.create_user(mobile=NEW_MOBILE, email="new@shop.in", name="Ravi")
    client = platform()

    verified = sign_in(client, seller.mobile)

    assert client.get(verified["Location"])["Location"] == "/stores/new"
    empty = client.get("/stores").content.decode()
    assert "You have no store yet." in empty


def test_signing_in_returns_to_the_page_asked_for(seller_a):
    named(seller_a)
    client = platform()

    asked_for = client.get("/account")
    client.get(asked_for["Location"])
    verified = sign_in(client, seller_a.mobile)

    assert asked_for["Location"] == "/start?next=/account"
    assert verified["Location"] == "/account"


def test_an_offsite_next_is_ignored(seller_a):
    named(seller_a)
    client = platform()
    client.get("/start", {"next": "https://evil.example.com/"})

    assert sign_in(client, seller_a.mobile)["Location"] == "/start/next"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter your mobile number."),
        ("12345", "This is not a mobile number we can send a code to. Your 10-digit mobile "
                  "number, or the number with its country code (+91 98765 43210)."),
        ("+1 555", "This is not a mobile number we can send a code to. Your 10-digit mobile "
                   "number, or the number with its country code (+91 98765 43210)."),
        ("9" * 40, "That is too long for a mobile number."),
    ],
)  # fmt: skip
def test_a_bad_mobile_is_refused_next_to_the_field(db, typed, message):
    response = platform().post("/start", {"mobile": typed})

    assert response.status_code == 400
    assert field_error(response, "mobile") == [message]
    assert sms.outbox == [] and not OtpChallenge.objects.exists()


def test_a_wrong_code_is_refused_and_counted_and_signs_nobody_in(db):
    client = platform()
    client.post("/start", {"mobile": NEW_MOBILE})

    response = client.post("/start/code", {"otp": wrong(sent_code())})

    assert response.status_code == 400
    assert field_error(response, "otp") == ["The code is not right."]
    assert OtpChallenge.objects.get().attempts == 1
    assert SESSION_KEY not in client.session
    assert not Seller.objects.filter(mobile=NEW_MOBILE).exists()


@pytest.mark.parametrize("otp", ["", "12ab56", "١٢٣٤٥٦"])
def test_a_code_that_is_not_six_digits_is_not_a_try(db, otp):
    client = platform()
    client.post("/start", {"mobile": NEW_MOBILE})

    response = client.post("/start/code", {"otp": otp})

    assert response.status_code == 400
    assert field_error(response, "otp") == ["Enter the 6-digit code from the SMS."]
    assert OtpChallenge.objects.get().attempts == 0


def test_the_code_step_without_a_mobile_goes_back_to_the_start(db):
    client = platform()

    assert client.get("/start/code")["Location"] == "/start"
    assert client.post("/start/code", {"otp": "123456"})["Location"] == "/start"


# --- the API's limits hold on these pages ----------------------------------------------------


def test_a_second_code_too_soon_is_refused_with_the_wait(db):
    client = platform()
    client.post("/start", {"mobile": NEW_MOBILE})

    again = client.post("/start", {"mobile": NEW_MOBILE})

    assert again.status_code == 429
    assert 1 <= int(again["Retry-After"]) <= 31
    assert field_error(again, "mobile") == ["A code was just sent; wait before asking for another."]
    assert len(sms.outbox) == 1


def test_codes_per_mobile_are_limited_across_the_page_and_the_api(db):
    client = platform()
    for _ in range(4):
        assert client.post("/start", {"mobile": "9876512345"}).status_code == 302
        OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))
    by_api = api_client(PLATFORM_HOST).post(
        "/api/auth/otp/request", {"mobile": NEW_MOBILE}, format="json"
    )
    OtpChallenge.objects.update(created_at=timezone.now() - timedelta(hours=2))

    sixth = client.post("/start", {"mobile": "9876512345"})

    assert by_api.status_code == 202
    assert sixth.status_code == 429 and int(sixth["Retry-After"]) > 3000
    assert field_error(sixth, "mobile") == [
        "Too many codes were sent to this number; try again later."
    ]
    assert len(sms.outbox) == 5


def test_code_requests_per_ip_are_limited(db, settings):
    settings.THROTTLE_RATE_OTP_REQUEST_IP = "2/hour"
    client = platform(ip="198.51.100.4")
    client.post("/start", {"mobile": "9876512301"})
    client.post("/start", {"mobile": "bad"})  # counted as the API counts it

    third = client.post("/start", {"mobile": "9876512303"})

    assert third.status_code == 429
    assert field_error(third, "mobile") == ["Too many requests; try again later."]
    assert [m["to"] for m in sms.outbox] == ["+919876512301"]


def test_wrong_codes_for_the_mobile_lock_even_the_right_code(db, settings):
    settings.THROTTLE_RATE_OTP_VERIFY_MOBILE = "2/day"
    client = platform()
    client.post("/start", {"mobile": NEW_MOBILE})
    code = sent_code()
    for _ in range(2):
        client.post("/start/code", {"otp": wrong(code)})

    refused = client.post("/start/code", {"otp": code})

    assert refused.status_code == 429
    assert field_error(refused, "otp") == ["Too many requests; try again later."]
    assert not Seller.objects.filter(mobile=NEW_MOBILE).exists()


@pytest.mark.parametrize("scope", ["stores_create_seller", "stores_create_ip"])
def test_store_creation_has_the_limits_of_the_api(seller_a, settings, scope):
    setattr(settings, f"THROTTLE_RATE_{scope.upper()}", "1/day")
    client = signed_in(named(seller_a))
    before = Store.objects.count()

    first = client.post("/stores/new", {"name": "Admin", "timezone": "UTC"})  # reserved
    second = client.post("/stores/new", {"name": "Second shop", "timezone": "UTC"})

    assert field_error(first, "name") == ["The name 'admin' is reserved."]
    assert second.status_code == 429 and int(second["Retry-After"]) > 86000
    assert "Too many requests; try again later." in second.content.decode()
    assert Store.objects.count() == before


def test_the_api_and_the_page_share_the_store_creation_limit(seller_a, settings):
    settings.THROTTLE_RATE_STORES_CREATE_SELLER = "1/day"
    by_api = api_client(PLATFORM_HOST, jwt=seller_token_pair(seller_a)["access"]).post(
        "/api/stores", {"name": "Admin"}, format="json"
    )

    by_page = signed_in(named(seller_a)).post("/stores/new", {"name": "Shop", "timezone": "UTC"})

    assert by_api.json()["code"] == "reserved_name"
    assert by_page.status_code == 429


# --- Create your store ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"name": ""}, "name", "Give your store a name."),
        ({"name": "  "}, "name", "Give your store a name."),
        ({"name": "x" * 121}, "name", "Keep the store name to 120 characters or fewer."),
        ({"name": "!!!"}, "name", "The store name needs at least one letter or digit."),
        ({"timezone": "Mars/Olympus"}, "timezone",
         "Pick your store's timezone from the list, such as Asia/Kolkata."),
        ({"timezone": ""}, "timezone", "Pick your store's timezone."),
        ({"address": "a" * 501}, "address", "Keep the address to 500 characters or fewer."),
    ],
)  # fmt: skip
def test_create_your_store_shows_what_is_wrong_next_to_the_field(seller_a, fields, field, message):
    client = signed_in(named(seller_a))
    before = Store.objects.count()

    response = client.post("/stores/new", {"name": "Good shop", "timezone": "UTC", **fields})

    assert response.status_code == 400
    assert field_error(response, field) == [message]
    assert Store.objects.count() == before


def test_a_refused_form_keeps_the_chosen_timezone(seller_a):
    response = signed_in(seller_a).post("/stores/new", {"name": "", "timezone": "Europe/Paris"})

    html = response.content.decode()
    assert '<option value="Europe/Paris" selected>Paris</option>' in html
    assert 'data-chosen="1"' in html  # the browser's zone does not replace the seller's pick


def test_the_pages_of_signed_in_sellers_send_others_to_sign_in(db):
    client = platform()
    for path in ("/stores", "/stores/new", "/start/about-you", "/account", "/start/next"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, f"/start?next={path}")


# --- Open console ---------------------------------------------------------------------------


def test_open_console_hands_the_seller_over_to_their_store(seller_a, store_a):
    client = signed_in(seller_a)

    opened = client.get(f"/stores/{store_a.pk}/open")

    target, query = handoff_parts(opened["Location"])
    assert target == "http://alpha.localhost:8000/console/handoff"
    store_browser = Client(HTTP_HOST=store_host(store_a))
    token = query["token"][0]
    assert store_browser.get("/console/handoff", {"token": token})["Location"] == "/console/"
    with in_store(store_a):
        assert store_browser.session[SESSION_KEY] == str(seller_a.pk)
    replay = Client(HTTP_HOST=store_host(store_a)).get("/console/handoff", {"token": token})
    assert replay.status_code == 400


def test_open_console_is_refused_for_a_store_the_seller_is_not_in(seller_a, store_b):
    response = signed_in(seller_a).get(f"/stores/{store_b.pk}/open")
    missing = signed_in(seller_a).get("/stores/999999/open")

    assert response.status_code == 404 and not response.has_header("Location")
    assert "<h1>Store not found</h1>" in response.content.decode()
    assert missing.status_code == 404


def test_open_console_is_a_get_link_only(seller_a, store_a):
    assert signed_in(seller_a).post(f"/stores/{store_a.pk}/open").status_code == 405


# --- the account page -----------------------------------------------------------------------


def test_the_account_page_shows_the_profile_and_its_verification(seller_a):
    named(seller_a)
    html = signed_in(seller_a).get("/account").content.decode()

    assert 'value="Asha Rao"' in html and 'value="owner@alpha.example.com"' in html
    assert '<span class="status warn">Not confirmed yet</span>' in html
    assert "<dd>+919800000001 " in html
    assert "Send the confirmation link again" in html

    seller_a.email_verified_at = timezone.now()
    seller_a.save()
    verified = signed_in(seller_a).get("/account").content.decode()
    assert '<span class="status ok">Verified</span> owner@alpha.example.com' in verified
    assert "Send the confirmation link again" not in verified


def test_a_new_email_starts_unverified_and_gets_the_link(
    seller_a, django_capture_on_commit_callbacks
):
    seller_a.email_verified_at = timezone.now()
    seller_a.save()
    client = signed_in(seller_a)

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post("/account", {"name": "Asha", "email": "asha@new.example.com"})
    page = client.get("/account").content.decode()

    assert (saved.status_code, saved["Location"]) == (302, "/account")
    seller_a.refresh_from_db()
    assert (seller_a.email, seller_a.email_verified_at) == ("asha@new.example.com", None)
    assert [m.to for m in mail.outbox] == [["asha@new.example.com"]]
    assert "Saved. We sent a link to asha@new.example.com: open it to confirm your address." in page


def test_saving_the_same_email_keeps_it_verified_and_sends_nothing(
    seller_a, django_capture_on_commit_callbacks
):
    verified_at = timezone.now()
    seller_a.email_verified_at = verified_at
    seller_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(seller_a).post("/account", {"name": "Asha", "email": "OWNER@alpha.example.com"})

    seller_a.refresh_from_db()
    assert (seller_a.name, seller_a.email_verified_at) == ("Asha", verified_at)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"email": "owner@beta.example.com"}, "email",
         "This e-mail is already registered to another account."),
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
        ({"email": ""}, "email", "Enter your e-mail address."),
        ({"name": "   "}, "name", "Enter your name."),
        ({"name": "n" * 121}, "name", "Keep your name to 120 characters or fewer."),
    ],
)  # fmt: skip
def test_a_bad_profile_is_refused_next_to_the_field_and_changes_nothing(
    seller_a, seller_b, fields, field, message
):
    named(seller_a)
    for path in ("/account", "/start/about-you"):
        response = signed_in(seller_a).post(path, {"name": "Asha", "email": "a@b.in", **fields})

        assert response.status_code == 400
        assert field_error(response, field) == [message]
        seller_a.refresh_from_db()
        assert (seller_a.name, seller_a.email) == ("Asha Rao", "owner@alpha.example.com")


def test_the_confirmation_link_can_be_sent_again_once_in_a_while(
    seller_a, redis_clean, django_capture_on_commit_callbacks
):
    client = signed_in(seller_a)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/account/verify-email")
        second = client.post("/account/verify-email")
    page = client.get("/account").content.decode()

    assert first["Location"] == second["Location"] == "/account"
    assert [m.to for m in mail.outbox] == [["owner@alpha.example.com"]]
    assert "We sent a new link to owner@alpha.example.com." in page
    assert "A link was sent a few minutes ago: look for it in your inbox." in page


def test_a_new_api_token_is_shown_once_and_works(seller_a, store_a):
    client = signed_in(seller_a)

    created = client.post("/account/tokens", {"token-name": "stock sync"})
    later = client.get("/account").content.decode()

    [key] = re.findall(r'<input id="new-key" value="([^"]+)" readonly>', created.content.decode())
    token = ApiToken.objects.get(seller=seller_a)
    assert created.status_code == 200 and created["Cache-Control"].startswith("max-age=0")
    assert token.name == "stock sync" and key.startswith(token.key_prefix)
    assert key not in later and '<td data-label="Name">stock sync</td>' in later
    answer = api_client(store_host(store_a), token=key).get("/api/store")
    assert answer.status_code == 200


def test_a_token_name_too_long_is_refused(seller_a):
    response = signed_in(seller_a).post("/account/tokens", {"token-name": "t" * 101})

    assert response.status_code == 400
    assert field_error(response, "token-name") == ["Keep the name to 100 characters or fewer."]
    assert not ApiToken.objects.filter(seller=seller_a).exists()


def test_revoking_a_token_refuses_it_from_then_on(seller_a, seller_b, store_a):
    token, key = api_token_create(seller=seller_a, name="ci")
    other, _ = api_token_create(seller=seller_b, name="theirs")
    client = signed_in(seller_a)

    revoked = client.post(f"/account/tokens/{token.pk}/revoke")
    foreign = client.post(f"/account/tokens/{other.pk}/revoke")
    page = client.get("/account").content.decode()

    assert revoked["Location"] == foreign["Location"] == "/account"
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert ApiToken.objects.filter(pk=other.pk).exists()
    assert "Token revoked: programs using it are refused from now on." in page
    assert "That token was revoked already." in page
    assert api_client(store_host(store_a), token=key).get("/api/store").status_code == 401


def test_sign_out_ends_this_browser_only(seller_a):
    client = signed_in(seller_a)
    other_browser = signed_in(seller_a)

    response = client.post("/logout", {"next": "/"})

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/account").status_code == 302
    assert other_browser.get("/account").status_code == 200


@pytest.mark.parametrize("with_password", [False, True])
def test_sign_out_everywhere_ends_sessions_on_every_host_and_app_sign_ins(
    seller_a, store_a, with_password
):
    if with_password:  # platform staff sign in to /admin/ with a password: it stays
        seller_a.set_password("staff-password-1")
        seller_a.save()
    _, key = api_token_create(seller=seller_a, name="ci")
    pair = seller_token_pair(seller_a)
    client = signed_in(seller_a)
    another_browser = signed_in(seller_a)
    console = console_client(store_a)
    assert console.get("/console/").status_code == 200

    response = client.post("/account/sign-out-everywhere")
    home = client.get("/").content.decode()

    assert (response.status_code, response["Location"]) == (302, "/")
    assert (
        "Signed out on every device and store (1 app sign-in ended). API tokens still work." in home
    )
    assert another_browser.get("/account")["Location"] == "/start?next=/account"
    assert console.get("/console/")["Location"] == "/login?next=%2Fconsole%2F"
    refresh = api_client(PLATFORM_HOST).post(
        "/api/auth/token/refresh", {"refresh": pair["refresh"]}, format="json"
    )
    assert refresh.status_code == 401
    assert api_client(store_host(store_a), token=key).get("/api/store").status_code == 200
    seller_a.refresh_from_db()
    assert seller_a.check_password("staff-password-1") is with_password


def test_the_store_hosts_sign_in_page_still_works(store_a):
    response = Client(HTTP_HOST=store_host(store_a)).get("/login")

    assert response.status_code == 200
    assert '<label for="mobile">Mobile number</label>' in response.content.decode()


def test_ids_too_large_for_the_database_are_not_found(seller_a):
    client = signed_in(seller_a)
    huge = "9" * 30

    opened = client.get(f"/stores/{huge}/open")
    revoked = client.post(f"/account/tokens/{huge}/revoke")

    assert opened.status_code == 404
    assert revoked["Location"] == "/account"


def test_trying_addresses_on_the_account_page_costs_what_sign_up_does(seller_a, settings):
    settings.THROTTLE_RATE_USERS_CREATE = "2/hour"
    Seller.objects.create_user(mobile="+919800055501", email="taken@example.com")
    client = signed_in(seller_a)

    tries = [
        client.post("/account", {"name": "Asha", "email": f"probe{n}@example.com"})
        for n in range(2)
    ]
    probe = client.post("/account", {"name": "Asha", "email": "taken@example.com"})
    same_again = client.post("/account", {"name": "Asha R", "email": "probe1@example.com"})

    assert [t.status_code for t in tries] == [302, 302]
    assert probe.status_code == 429
    assert "already" not in probe.content.decode()
    assert same_again.status_code == 302  # keeping the address is not a probe
    seller_a.refresh_from_db()
    assert (seller_a.name, seller_a.email) == ("Asha R", "probe1@example.com")
