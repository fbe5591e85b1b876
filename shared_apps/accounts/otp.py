"""One-time codes by SMS, shared by seller login and every store's buyer login.

A code is 6 digits, stored as an HMAC (keyed with the secret key, so a database dump does not
reveal it), valid OTP_TTL_SECONDS, at most OTP_MAX_ATTEMPTS wrong tries, resends throttled.
Every audience gets the same SMS text (OTP_SMS_TEMPLATE): nothing a seller chooses, such as a
store's name, ever reaches a stranger's phone.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saas.api.errors import ApplicationError, ThrottledError
from saas.validation import phone_to_e164

from .errors import AccountsErrorCode
from .models import OtpChallenge
from .sms import sms_send

# The code last, so a phone's autofill and a reader both find it at once.
OTP_SMS_TEMPLATE = "Your Seller Suite code, valid for {lifetime}, is {code}"


class OtpError(ApplicationError):
    """`code_was_wrong`: a well-formed code was compared with a live one and did not match
    (what the per-IP and per-mobile wrong-code limits count)."""

    def __init__(self, message: str, *, code_was_wrong: bool = False, **kwargs):
        super().__init__(message, **kwargs)
        self.code_was_wrong = code_was_wrong


def otp_code_well_formed(code: str) -> bool:
    """Exactly OTP_LENGTH ASCII digits (str.isdigit alone accepts "١٢٣" and "²")."""
    return len(code) == settings.OTP_LENGTH and code.isascii() and code.isdigit()


def otp_sms_text(code: str) -> str:
    minutes, seconds = divmod(settings.OTP_TTL_SECONDS, 60)
    if seconds:
        lifetime = f"{settings.OTP_TTL_SECONDS} seconds"
    else:
        lifetime = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return OTP_SMS_TEMPLATE.format(code=code, lifetime=lifetime)


def customer_otp_scope(schema_name: str) -> str:
    """The OTP scope of one store's buyers: a code sent for one store never works in another."""
    return f"customer:{schema_name}"


def mobile_normalize(raw: str) -> str:
    """E.164 (+<country><number>) or OtpError("invalid_mobile")."""
    mobile = phone_to_e164(raw)
    if mobile is None:
        raise OtpError(
            "Give the mobile number in international format, like +919876543210.",
            code=AccountsErrorCode.INVALID_MOBILE,
        )
    return mobile


def _code_hash(*, scope: str, mobile: str, salt: str, code: str) -> str:
    message = f"{scope}|{mobile}|{salt}|{code}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"{salt}${digest}"


def _code_matches(challenge: OtpChallenge, code: str) -> bool:
    salt = challenge.code_hash.split("$", 1)[0]
    expected = _code_hash(scope=challenge.scope, mobile=challenge.mobile, salt=salt, code=code)
    return hmac.compare_digest(expected, challenge.code_hash)


def otp_challenge_request(*, mobile: str, scope: str) -> None:
    """Send a fresh code to `mobile` for `scope`, unless that would be too soon or too often."""
    mobile = mobile_normalize(mobile)
    now = timezone.now()
    with transaction.atomic():
        recent = list(
            OtpChallenge.objects.select_for_update()
            .filter(scope=scope, mobile=mobile, created_at__gte=now - timedelta(hours=1))
            .order_by("-created_at")
        )
        if recent:
            wait = (
                settings.OTP_RESEND_INTERVAL_SECONDS - (now - recent[0].created_at).total_seconds()
            )
            if wait > 0:
                raise ThrottledError(
                    "A code was just sent; wait before asking for another.",
                    code=AccountsErrorCode.OTP_RESEND_TOO_SOON,
                    retry_after_seconds=int(wait) + 1,
                )
        if len(recent) >= settings.OTP_MAX_SENDS_PER_HOUR:
            oldest = recent[settings.OTP_MAX_SENDS_PER_HOUR - 1].created_at
            wait = 3600 - (now - oldest).total_seconds()
            raise ThrottledError(
                "Too many codes were sent to this number; try again later.",
                code=AccountsErrorCode.OTP_SEND_LIMIT,
                retry_after_seconds=max(int(wait) + 1, 1),
            )
        code = f"{secrets.randbelow(10**settings.OTP_LENGTH):0{settings.OTP_LENGTH}d}"
        OtpChallenge.objects.create(
            mobile=mobile,
            scope=scope,
            code_hash=_code_hash(scope=scope, mobile=mobile, salt=secrets.token_hex(8), code=code),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
    # Sent once the challenge is stored, from the request itself: the caller learns at once
    # when the SMS provider refuses.
    sms_send(to=mobile, text=otp_sms_text(code))


@dataclass(frozen=True)
class _Outcome:
    error: OtpError | None


def otp_challenge_verify(*, mobile: str, scope: str, code: str) -> str:
    """Check `code` for `mobile` in `scope`; returns the normalised mobile or raises OtpError.

    Codes: otp_invalid (wrong, tries left; or not OTP_LENGTH digits, not counted as a try),
    otp_expired, otp_locked (too many wrong tries), otp_not_requested (no live code).
    """
    mobile = mobile_normalize(mobile)
    code = str(code or "").strip()
    # The shape first: nothing compares a code that cannot be one (hmac.compare_digest refuses
    # non-ASCII text with a TypeError).
    if not otp_code_well_formed(code):
        raise OtpError(
            f"Enter the {settings.OTP_LENGTH}-digit code from the SMS.",
            code=AccountsErrorCode.OTP_INVALID,
        )
    outcome = _otp_challenge_check(mobile=mobile, scope=scope, code=code)
    # Raised after the transaction committed, so a wrong try is counted, not rolled back.
    if outcome.error is not None:
        raise outcome.error
    return mobile


@transaction.atomic
def _otp_challenge_check(*, mobile: str, scope: str, code: str) -> _Outcome:
    now = timezone.now()
    challenge = (
        OtpChallenge.objects.select_for_update()
        .filter(scope=scope, mobile=mobile, consumed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    fixed_code = settings.OTP_FIXED_CODE
    if fixed_code and hmac.compare_digest(code.encode(), fixed_code.encode()):
        if challenge is not None:
            challenge.consumed_at = now
            challenge.save(update_fields=["consumed_at"])
        return _Outcome(None)
    if challenge is None:
        return _Outcome(OtpError("Ask for a code first.", code=AccountsErrorCode.OTP_NOT_REQUESTED))
    if challenge.attempts >= settings.OTP_MAX_ATTEMPTS:
        return _Outcome(
            OtpError("Too many wrong codes; ask for a new one.", code=AccountsErrorCode.OTP_LOCKED)
        )
    if challenge.expires_at <= now:
        return _Outcome(
            OtpError("The code has expired; ask for a new one.", code=AccountsErrorCode.OTP_EXPIRED)
        )
    if not _code_matches(challenge, code):
        challenge.attempts += 1
        challenge.save(update_fields=["attempts"])
        left = settings.OTP_MAX_ATTEMPTS - challenge.attempts
        if left <= 0:
            return _Outcome(
                OtpError(
                    "Too many wrong codes; ask for a new one.",
                    code=AccountsErrorCode.OTP_LOCKED,
                    code_was_wrong=True,
                )
            )
        return _Outcome(
            OtpError(
                "The code is not right.",
                code=AccountsErrorCode.OTP_INVALID,
                details={"attempts_left": left},
                code_was_wrong=True,
            )
        )
    challenge.consumed_at = now
    challenge.save(update_fields=["consumed_at"])
    return _Outcome(None)


def otp_challenges_expired_delete(*, scope: str, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete the scope's codes older than `older_than` (long past use and past the send caps)."""
    cutoff = timezone.now() - older_than
    deleted, _ = OtpChallenge.objects.filter(scope=scope, created_at__lt=cutoff).delete()
    return deleted
