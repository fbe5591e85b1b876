"""Encryption of the store's GitHub token at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The keys are `TRAFFIC_TOKEN_KEYS` (Fernet keys, newest first): the first encrypts, every one
decrypts, so a key can rotate without losing a token (`manage.py traffic_github_tokens_rotate`
re-encrypts stored tokens with the first key; see docs/traffic.md). The key derived from
SECRET_KEY always comes last: it is the key when none is configured, and it keeps tokens
written before a key was configured readable until they are rotated. A database dump alone
never yields a usable GitHub token. A token no key can read makes the fetch report "set the
token again" rather than fail silently.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derived_key() -> bytes:
    digest = hashlib.sha256(b"seller-suite/traffic/github-token:" + settings.SECRET_KEY.encode())
    return base64.urlsafe_b64encode(digest.digest())


def _fernet() -> MultiFernet:
    keys = [
        key.encode() if isinstance(key, str) else key
        for key in getattr(settings, "TRAFFIC_TOKEN_KEYS", ())
        if key
    ]
    derived = _derived_key()
    if derived not in keys:
        keys.append(derived)
    return MultiFernet([Fernet(key) for key in keys])


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def secret_decrypt(encrypted: str) -> str | None:
    """The plain text, or None when no key reads it or the value was tampered with."""
    try:
        return _fernet().decrypt(encrypted.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def secret_rotate(encrypted: str) -> str | None:
    """The same secret encrypted with the first key, or None when no key reads it."""
    try:
        return _fernet().rotate(encrypted.encode()).decode()
    except (InvalidToken, ValueError):
        return None
