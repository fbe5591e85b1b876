"""Ingestion tokens: the store's support backend authenticates with one (see authentication.py,
which also records their use)."""

from django.db import transaction

from .errors import AnalyticsError, AnalyticsErrorCode
from .models import IngestionToken


@transaction.atomic
def ingestion_token_create(
    *, name: str, created_by_id: int | None = None
) -> tuple[IngestionToken, str]:
    """A new ingestion token and its key; the key is returned once, only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise AnalyticsError("Give the token a name.", code=AnalyticsErrorCode.NAME_REQUIRED)
    token, key = IngestionToken.new_with_key(name=name[:100], created_by_id=created_by_id)
    token.save()
    return token, key


@transaction.atomic
def ingestion_token_delete(*, token_id: int) -> None:
    deleted, _ = IngestionToken.objects.filter(pk=token_id).delete()
    if not deleted:
        raise AnalyticsError("No such ingestion token.", code=AnalyticsErrorCode.TOKEN_NOT_FOUND)
