from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from saas.access.jwt import refresh_revoke_all
from saas.api.errors import ApplicationError, NotFoundError
from saas.tasks import enqueue_on_commit
from tenants.models import store_url_for_host

from .errors import AccountsErrorCode
from .links import LinkTokenError, LinkTokenExpired, link_token_make, link_token_read
from .models import ApiToken, Seller
from .otp import otp_challenge_request, otp_challenge_verify
from .selectors import membership_list

SELLER_OTP_SCOPE = "seller"

EMAIL_VERIFICATION_SALT = "shared_apps.accounts.email-verification"
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)
# A new link from an expired one, at most once in this long per seller (the address is the
# seller's own, but the button must not become a way to flood it).
EMAIL_VERIFICATION_RESEND_INTERVAL = timedelta(minutes=10)
# Registered in tasks.py; named here so this module never imports the task module.
EMAIL_VERIFICATION_SEND_TASK = "shared_apps.accounts.tasks.seller_email_verification_send_task"


class AccountError(ApplicationError):
    pass


def email_normalize(raw: str) -> str:
    email = str(raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise AccountError(
            "Enter a valid e-mail address.", code=AccountsErrorCode.INVALID_EMAIL
        ) from error
    return email


@transaction.atomic
def seller_create_with_email(*, email: str) -> tuple[Seller, str]:
    """A seller who works through the API: returns the seller and their first token's key."""
    email = email_normalize(email)
    if Seller.objects.filter(email__iexact=email).exists():
        raise AccountError("This e-mail is already registered.", code=AccountsErrorCode.EMAIL_TAKEN)
    try:
        with transaction.atomic():
            seller = Seller.objects.create_user(email=email)
    except IntegrityError as error:  # a concurrent signup with the same address
        raise AccountError(
            "This e-mail is already registered.", code=AccountsErrorCode.EMAIL_TAKEN
        ) from error
    _, key = api_token_create(seller=seller, name="default")
    # The token works at once; the store's mail waits for the address to be verified.
    enqueue_on_commit(EMAIL_VERIFICATION_SEND_TASK, seller_id=seller.pk)
    return seller, key


# --- verification ------------------------------------------------------------------------


def seller_email_verification_link(*, seller: Seller, issued_at: datetime | None = None) -> str:
    """The platform-host link that verifies `seller.email` (valid EMAIL_VERIFICATION_MAX_AGE)."""
    token = link_token_make(
        {"seller": seller.pk, "email": seller.email},
        salt=EMAIL_VERIFICATION_SALT,
        issued_at=issued_at,
    )
    path = reverse("email-verify", kwargs={"token": token}, urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return store_url_for_host(settings.SAAS_ROOT_DOMAIN).rstrip("/") + path


def seller_email_verification_send(*, seller_id: int) -> bool:
    """E-mail the verification link to the seller's address, unless it is verified already."""
    seller = Seller.objects.filter(pk=seller_id, is_active=True).first()
    if seller is None or not seller.email or seller.email_verified_at is not None:
        return False
    body = render_to_string(
        "accounts/email_verification.txt",
        {
            "link": seller_email_verification_link(seller=seller),
            "days": EMAIL_VERIFICATION_MAX_AGE.days,
        },
    )
    send_mail(
        "Confirm your e-mail address for Seller Suite",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [seller.email],
    )
    return True


def _verification_link_seller(*, token: str, max_age: timedelta | None) -> Seller:
    """The seller a verification link names, if the link is ours and the address unchanged."""
    invalid = AccountError(
        "This verification link is not valid. Use the link exactly as it arrived by e-mail.",
        code=AccountsErrorCode.VERIFICATION_LINK_INVALID,
    )
    try:
        payload = link_token_read(token, salt=EMAIL_VERIFICATION_SALT, max_age=max_age)
    except LinkTokenExpired as error:
        raise AccountError(
            "This verification link has expired.",
            code=AccountsErrorCode.VERIFICATION_LINK_EXPIRED,
        ) from error
    except LinkTokenError as error:
        raise invalid from error
    seller = Seller.objects.filter(pk=payload.get("seller"), is_active=True).first()
    # A link sent to an earlier address never verifies the current one.
    if seller is None or not seller.email or seller.email != payload.get("email"):
        raise invalid
    return seller


@transaction.atomic
def seller_email_verify(*, token: str, now: datetime | None = None) -> Seller:
    """Mark the address a verification link was sent to as verified (twice changes nothing).

    The seller's queued store mail then goes with the next hourly dispatch of each store.
    """
    seller = _verification_link_seller(token=token, max_age=EMAIL_VERIFICATION_MAX_AGE)
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    if seller.email_verified_at is None:
        seller.email_verified_at = now or timezone.now()
        seller.save(update_fields=["email_verified_at"])
    return seller


def seller_email_verification_resend(*, token: str) -> bool:
    """A fresh link for the address an expired (but genuine) link was sent to.

    Returns False when nothing was sent: already verified, or a link was sent just now.
    """
    seller = _verification_link_seller(token=token, max_age=None)
    if seller.email_verified_at is not None:
        return False
    key = f"accounts:email-verification-resend:{seller.pk}"
    if not cache.add(key, 1, timeout=int(EMAIL_VERIFICATION_RESEND_INTERVAL.total_seconds())):
        return False
    with transaction.atomic():
        enqueue_on_commit(EMAIL_VERIFICATION_SEND_TASK, seller_id=seller.pk)
    return True


@transaction.atomic
def api_token_create(*, seller: Seller, name: str = "default") -> tuple[ApiToken, str]:
    """Returns the token row and its key; the key is shown once and only its hash is kept."""
    token, key = ApiToken.new_with_key(seller=seller, name=name or "default")
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, seller: Seller, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(seller=seller, pk=token_id).delete()
    if not deleted:
        raise NotFoundError("No such token.", code=AccountsErrorCode.TOKEN_NOT_FOUND)


def seller_otp_request(*, mobile: str) -> None:
    otp_challenge_request(mobile=mobile, scope=SELLER_OTP_SCOPE)


def seller_otp_login(*, mobile: str, code: str) -> tuple[Seller, bool]:
    """Verify the code; the first successful verify creates the seller. Returns (seller, created).

    Not one transaction on purpose: a wrong code's counted try must survive the error.
    """
    mobile = otp_challenge_verify(mobile=mobile, scope=SELLER_OTP_SCOPE, code=code)
    return _seller_for_mobile(mobile=mobile)


@transaction.atomic
def _seller_for_mobile(*, mobile: str) -> tuple[Seller, bool]:
    now = timezone.now()
    seller, created = Seller.objects.get_or_create(
        mobile=mobile, defaults={"email": None, "mobile_verified_at": now}
    )
    if created:
        seller.set_unusable_password()
        seller.save(update_fields=["password"])
    if not seller.is_active:
        raise AccountError("This account is disabled.", code=AccountsErrorCode.ACCOUNT_DISABLED)
    if seller.mobile_verified_at is None:
        # The code just sent to this number proves it is the seller's.
        seller.mobile_verified_at = now
        seller.save(update_fields=["mobile_verified_at"])
    return seller, created


# --- the account page (platform host) ----------------------------------------------------

SELLER_NAME_MAX_LENGTH = 120


@transaction.atomic
def seller_profile_update(*, seller: Seller, name: str, email: str) -> tuple[Seller, bool]:
    """Set the seller's name and e-mail; returns (seller, whether a verification link went out).

    A new address starts unverified and gets the verification link; the same address again
    changes nothing about its verification.
    """
    name = " ".join(str(name or "").split())
    if not name:
        raise AccountError("Enter your name.", code=AccountsErrorCode.INVALID_NAME)
    if len(name) > SELLER_NAME_MAX_LENGTH:
        raise AccountError(
            f"Keep your name to {SELLER_NAME_MAX_LENGTH} characters or fewer.",
            code=AccountsErrorCode.INVALID_NAME,
        )
    email = email_normalize(email)
    taken = AccountError(
        "This e-mail is already registered to another account.",
        code=AccountsErrorCode.EMAIL_TAKEN,
    )
    if Seller.objects.filter(email__iexact=email).exclude(pk=seller.pk).exists():
        raise taken
    changed = email != seller.email
    seller.name = name
    if changed:
        seller.email, seller.email_verified_at = email, None
    try:
        with transaction.atomic():
            seller.save(update_fields=["name", "email", "email_verified_at"])
    except IntegrityError as error:  # the same address saved by another account meanwhile
        raise taken from error
    if changed:
        enqueue_on_commit(EMAIL_VERIFICATION_SEND_TASK, seller_id=seller.pk)
    return seller, changed


def seller_email_verification_request(*, seller: Seller) -> bool:
    """A new verification link to the seller's unverified address (the account page's button);
    False when nothing was sent: no address, verified already, or a link went out just now."""
    if not seller.email or seller.email_verified_at is not None:
        return False
    key = f"accounts:email-verification-resend:{seller.pk}"
    if not cache.add(key, 1, timeout=int(EMAIL_VERIFICATION_RESEND_INTERVAL.total_seconds())):
        return False
    with transaction.atomic():
        enqueue_on_commit(EMAIL_VERIFICATION_SEND_TASK, seller_id=seller.pk)
    return True


def seller_sign_out_everywhere(*, seller: Seller) -> int:
    """End every sign-in of the seller but their API tokens; returns the refresh tokens revoked.

    Refresh tokens are revoked (as POST /api/auth/logout-all). Browser sessions live in the
    public schema and in each store's schema; Django ties each to the seller's password hash
    (`get_session_auth_hash`), so a new unusable password ends all of them, on every host, at
    their next request. A seller who signs in with a password (platform staff) keeps it: their
    sessions are looked up and deleted in the platform's and their stores' schemas instead.
    """
    revoked = refresh_revoke_all(owner=seller)
    if not seller.has_usable_password():
        seller.set_unusable_password()
        seller.save(update_fields=["password"])
        return revoked
    schemas = [settings.PUBLIC_SCHEMA_NAME]
    schemas += [m.store.schema_name for m in membership_list(seller=seller)]
    for schema in schemas:
        with schema_context(schema):
            _seller_sessions_delete(seller=seller)
    return revoked


def _seller_sessions_delete(*, seller: Seller) -> None:
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    ids = [s.pk for s in sessions if s.get_decoded().get(SESSION_KEY) == str(seller.pk)]
    Session.objects.filter(pk__in=ids).delete()
