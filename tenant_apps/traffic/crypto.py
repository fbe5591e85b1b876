"""Encryption of the store's GitHub token at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is `TRAFFIC_TOKEN_KEY` when set (a Fernet key), otherwise derived from SECRET_KEY, so
a database dump alone never yields a usable GitHub token. Rotating the key makes stored tokens
unreadable: the fetch then reports "set the token again" rather than failing silently.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    configured = getattr(settings, "TRAFFIC_TOKEN_KEY", "")
    if configured:
        return Fernet(configured)
    digest = hashlib.sha256(b"seller-suite/traffic/github-token:" + settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def secret_decrypt(encrypted: str) -> str | None:
    """The plain text, or None when the key changed or the value was tampered with."""
    try:
        return _fernet().decrypt(encrypted.encode()).decode()
    except (InvalidToken, ValueError):
        return None
