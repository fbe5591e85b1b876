"""A seller is verified by a mobile code or by the link e-mailed at sign-up."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from shared_apps.accounts import sms
from shared_apps.accounts.links import link_token_make
from shared_apps.accounts.models import Seller
from shared_apps.accounts.services import (
    EMAIL_VERIFICATION_SALT,
    seller_email_verification_link,
)
from tests.support.mail_safety import link_in, path_of
from tests.support.stores import PLATFORM_HOST, api_client

VERIFY_PATH = "/api/users/verify-email/"


def _sign_up(client, capture, email="new@seller.example") -> Seller:
    with capture(execute=True):
        response = client.post("/api/users/create", {"email": email}, format="json")
    assert response.status_code == 200
    assert list(response.json()) == ["token"]  # the token, at once, as before
    return Seller.objects.get(email=email)


def test_sign_up_mails_a_link_that_verifies_the_address(
    platform_client, django_capture_on_commit_callbacks
):
    seller = _sign_up(platform_client, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == ["new@seller.example"]
    assert message.subject == "Confirm your e-mail address for Seller Suite"
    link = link_in(message.body, VERIFY_PATH)
    assert link.startswith(f"http://localhost:8000{VERIFY_PATH}")
    assert "within 3 days" in message.body
    assert (seller.email_verified_at, seller.is_verified) == (None, False)

    page = api_client(PLATFORM_HOST).get(path_of(link))

    assert page.status_code == 200
    assert "<h1>E-mail address verified</h1>" in page.content.decode()
    seller.refresh_from_db()
    assert seller.email_verified_at is not None and seller.is_verified
    # Opening it again changes nothing.
    verified_at = seller.email_verified_at
    assert api_client(PLATFORM_HOST).get(path_of(link)).status_code == 200
    seller.refresh_from_db()
    assert seller.email_verified_at == verified_at


def _spoiled_paths(seller) -> dict[str, str]:
    good = path_of(seller_email_verification_link(seller=seller))
    return {
        "signature": good[:-1] + ("A" if good[-1] != "A" else "B"),
        "payload": good.replace(f"{VERIFY_PATH}ey", f"{VERIFY_PATH}ez"),
        "garbage": f"{VERIFY_PATH}not-a-token",
        # Genuine, but made for another purpose (another salt).
        "other purpose": VERIFY_PATH
        + link_token_make({"seller": seller.pk, "email": seller.email}, salt="other"),
        # Genuine, but for an address the seller no longer has.
        "old address": VERIFY_PATH
        + link_token_make(
            {"seller": seller.pk, "email": "old@seller.example"}, salt=EMAIL_VERIFICATION_SALT
        ),
    }


@pytest.mark.parametrize(
    "kind", ["signature", "payload", "garbage", "other purpose", "old address"]
)
def test_altered_verification_links_are_refused_and_change_nothing(db, kind):
    seller = Seller.objects.create_user(email="new@seller.example")

    page = api_client(PLATFORM_HOST).get(_spoiled_paths(seller)[kind])

    html = page.content.decode()
    assert page.status_code == 400
    assert "<h1>This link does not work</h1>" in html
    assert "This verification link is not valid." in html
    assert "Nothing was changed." in html
    seller.refresh_from_db()
    assert (seller.email_verified_at, seller.mobile_verified_at) == (None, None)


def test_an_expired_verification_link_is_refused_and_offers_a_new_one(
    redis_clean, django_capture_on_commit_callbacks
):
    seller = Seller.objects.create_user(email="new@seller.example")
    old = seller_email_verification_link(
        seller=seller, issued_at=timezone.now() - timedelta(days=3, minutes=1)
    )
    browser = api_client(PLATFORM_HOST)

    page = browser.get(path_of(old))

    html = page.content.decode()
    assert page.status_code == 400
    assert "<h1>This link has expired</h1>" in html
    assert "Nothing was changed." in html
    assert "Send me a new verification link</button>" in html
    seller.refresh_from_db()
    assert seller.email_verified_at is None
    assert mail.outbox == []

    # The button: a fresh link to the same address, once per few minutes.
    [action] = re.findall(r'action="([^"]+)"', html)
    with django_capture_on_commit_callbacks(execute=True):
        resent = browser.post(action)
        again = browser.post(action)

    assert resent.status_code == 200 and "A new link is on its way" in resent.content.decode()
    assert again.status_code == 200 and "No new link sent" in again.content.decode()
    [message] = mail.outbox
    assert message.to == ["new@seller.example"]
    fresh = link_in(message.body, VERIFY_PATH)
    assert api_client(PLATFORM_HOST).get(path_of(fresh)).status_code == 200
    seller.refresh_from_db()
    assert seller.email_verified_at is not None


def test_signing_in_with_a_mobile_code_verifies_the_mobile(platform_client):
    mobile = "+919876543210"
    platform_client.post("/api/auth/otp/request", {"mobile": mobile}, format="json")
    [code] = re.findall(r"\b\d{6}\b", sms.outbox[-1]["text"])

    signed_in = platform_client.post(
        "/api/auth/otp/verify", {"mobile": mobile, "otp": code}, format="json"
    )

    assert signed_in.status_code == 200
    seller = Seller.objects.get(mobile=mobile)
    assert seller.mobile_verified_at is not None and seller.is_verified
    assert seller.email_verified_at is None


def test_the_migration_verifies_sellers_who_have_a_mobile(db):
    with_mobile = Seller.objects.create_user(mobile="+919876543211")
    email_only = Seller.objects.create_user(email="only@seller.example")
    migration = importlib.import_module("shared_apps.accounts.migrations.0004_seller_verified")

    migration.sellers_with_mobile_verified(apps, None)

    with_mobile.refresh_from_db()
    email_only.refresh_from_db()
    assert with_mobile.mobile_verified_at is not None
    assert (email_only.mobile_verified_at, email_only.email_verified_at) == (None, None)
