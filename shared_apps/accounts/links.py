"""Signed, expiring tokens for links we e-mail (address verification, unsubscribe).

Django's `TimestampSigner` (HMAC with the secret key, a salt per purpose): the token carries
its payload and the moment it was made, so nothing is stored and a link cannot be altered or
reused for another purpose. https://docs.djangoproject.com/en/5.2/topics/signing/
"""

from datetime import datetime, timedelta

from django.core import signing


class LinkTokenError(Exception):
    """The token is not one we made for this purpose (altered, truncated, other salt)."""


class LinkTokenExpired(LinkTokenError):
    """The token is ours but older than its lifetime."""


class _SignerAt(signing.TimestampSigner):
    """A TimestampSigner that stamps a given moment (the real clock unless told)."""

    def __init__(self, *, salt: str, issued_at: datetime | None = None):
        super().__init__(salt=salt)
        self._issued_at = issued_at

    def timestamp(self):
        if self._issued_at is None:
            return super().timestamp()
        return signing.b62_encode(int(self._issued_at.timestamp()))


def link_token_make(payload: dict, *, salt: str, issued_at: datetime | None = None) -> str:
    """A URL-safe token holding `payload` (JSON), stamped with `issued_at` (default: now)."""
    return _SignerAt(salt=salt, issued_at=issued_at).sign_object(payload)


def link_token_read(token: str, *, salt: str, max_age: timedelta | None) -> dict:
    """The payload of a token made with `salt` at most `max_age` ago, by the real clock
    (`max_age=None`: any age, the signature still checked)."""
    try:
        payload = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkTokenExpired(str(error)) from error
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise LinkTokenError(str(error)) from error
    if not isinstance(payload, dict):
        raise LinkTokenError("not a link token")
    return payload
