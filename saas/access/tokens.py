"""One base for every secret key we hand out: seller API tokens, ingestion tokens, share links.

Only a SHA-256 of the key is stored. Keys carry at least 128 random bits, so a fast hash is
enough; what matters is that the database never holds a usable key.
"""

import hashlib
import secrets

from django.db import models
from django.utils import timezone

# Recording every use would write a row per request; once per five minutes tells the seller
# whether a key is still in use.
LAST_USED_RESOLUTION_SECONDS = 300


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_from_request(request) -> str | None:
    """The key of `X-API-Token: <key>` or `Authorization: Token <key>`, if any."""
    key = request.headers.get("X-API-Token")
    if key:
        return key.strip()
    parts = request.headers.get("Authorization", "").split()
    if len(parts) == 2 and parts[0].lower() == "token":
        return parts[1]
    return None


class HashedKeyToken(models.Model):
    """Abstract: a named key of which only the hash and a short prefix are kept."""

    # Prepended to generated keys, so a leaked key says what it is ("ing_…").
    KEY_PREFIX = ""
    KEY_RANDOM_BYTES = 16

    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, 'name', 'token')} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return key_hash(key)

    @classmethod
    def generate_key(cls) -> str:
        return cls.KEY_PREFIX + secrets.token_hex(cls.KEY_RANDOM_BYTES)

    @classmethod
    def new_with_key(cls, **fields) -> tuple["HashedKeyToken", str]:
        """An unsaved token and its key; the caller saves it and shows the key once."""
        key = cls.generate_key()
        prefix_length = len(cls.KEY_PREFIX) + 8
        return cls(key_hash=key_hash(key), key_prefix=key[:prefix_length], **fields), key

    @classmethod
    def lookup(cls, key: str, queryset=None):
        """The token whose key is `key` (from `queryset`, default all), or None."""
        queryset = cls._default_manager.all() if queryset is None else queryset
        return queryset.filter(key_hash=key_hash(key)).first()

    def touch(self) -> None:
        """Record use, at most once per LAST_USED_RESOLUTION_SECONDS."""
        now = timezone.now()
        last = self.last_used_at
        if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            type(self)._default_manager.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
