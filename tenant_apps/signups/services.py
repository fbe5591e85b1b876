"""Every write of the customer acquisition tool: widget sites, signups, digests."""

import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from saas.store_sql import store_fetchone
from shared_apps.accounts.models import Seller, StoreMembership
from tenants.models import Store

from .errors import SignupsError, SignupsErrorCode
from .models import RefusedOrigin, Signup, SignupDigest, WidgetSite
from .origins import origin_from_url, origin_normalize
from .selectors import (
    signup_latest,
    signup_stats,
    store_month_label,
    widget_site_cache_key,
    widget_site_memo_forget,
)

logger = logging.getLogger(__name__)

SITE_KEY_PREFIX = "pk_"
MAX_ALLOWED_ORIGINS = 20
DIGEST_LATEST_COUNT = 10
# Where `python -m http.server 8081 -d widgets/test` serves the sample store page.
SAMPLE_PAGE_DEV_ORIGIN = "http://localhost:8081"


# --- widget sites -------------------------------------------------------------------------


def widget_site_key_generate() -> str:
    # 24 random bytes → 32 url-safe characters after the prefix.
    return SITE_KEY_PREFIX + secrets.token_urlsafe(24)


def widget_origins_clean(origins: list[str]) -> list[str]:
    """Exact origins, normalised and de-duplicated in the given order, or SignupsError."""
    if not isinstance(origins, list | tuple):
        raise SignupsError("allowed_origins must be a list.", code=SignupsErrorCode.INVALID_ORIGIN)
    if len(origins) > MAX_ALLOWED_ORIGINS:
        raise SignupsError(
            f"A site allows at most {MAX_ALLOWED_ORIGINS} origins.",
            code=SignupsErrorCode.TOO_MANY_ORIGINS,
        )
    cleaned: list[str] = []
    for raw in origins:
        origin = origin_normalize(raw) if isinstance(raw, str) else None
        if origin is None:
            raise SignupsError(
                f"{raw!r} is not an origin; write it as scheme://host[:port], "
                "e.g. https://shop.example.com.",
                code=SignupsErrorCode.INVALID_ORIGIN,
                details={"origin": str(raw)[:255]},
            )
        if origin not in cleaned:
            cleaned.append(origin)
    return cleaned


def _site_name_clean(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise SignupsError("A widget site needs a name.", code=SignupsErrorCode.INVALID_NAME)
    return name[:120]


@transaction.atomic
def widget_site_create(
    *, name: str, allowed_origins: list[str], is_active: bool = True
) -> WidgetSite:
    return WidgetSite.objects.create(
        name=_site_name_clean(name),
        key=widget_site_key_generate(),
        allowed_origins=widget_origins_clean(allowed_origins),
        is_active=is_active,
    )


def widget_site_cache_forget(*, key: str) -> None:
    """Drop the endpoint's cached copy now and again after commit (a reader may have cached
    the old row in between); failures are only logged, the TTL catches up."""

    def forget():
        widget_site_memo_forget(key=key)
        try:
            cache.delete(widget_site_cache_key(key))
        except Exception as error:
            logger.warning("Widget site cache unavailable (%s); it expires by itself.", error)

    forget()
    transaction.on_commit(forget)


@transaction.atomic
def widget_site_update(
    *,
    site: WidgetSite,
    name: str | None = None,
    allowed_origins: list[str] | None = None,
    is_active: bool | None = None,
) -> WidgetSite:
    """Change the given fields (the row is locked, so two edits never interleave)."""
    site = WidgetSite.objects.select_for_update().get(pk=site.pk)
    if name is not None:
        site.name = _site_name_clean(name)
    if allowed_origins is not None:
        site.allowed_origins = widget_origins_clean(allowed_origins)
    if is_active is not None:
        site.is_active = is_active
    site.save()
    widget_site_cache_forget(key=site.key)
    return site


@transaction.atomic
def widget_site_key_rotate(*, site: WidgetSite) -> WidgetSite:
    """A new key at once; the old one stops working immediately (pages must be updated)."""
    site = WidgetSite.objects.select_for_update().get(pk=site.pk)
    old_key = site.key
    site.key = widget_site_key_generate()
    site.save(update_fields=["key", "updated_at"])
    widget_site_cache_forget(key=old_key)
    return site


def widget_site_create_default(*, store: Store) -> WidgetSite:
    """Store set-up step: the site for the store's own link and the sample page in development."""
    origins = [origin_from_url(store.link)] if store.link else []
    extra = getattr(settings, "SIGNUP_WIDGET_DEFAULT_EXTRA_ORIGINS", None)
    if extra is None:
        extra = [SAMPLE_PAGE_DEV_ORIGIN] if settings.DEBUG else []
    origins += list(extra)
    return widget_site_create(
        name=f"{store.name} website", allowed_origins=[origin for origin in origins if origin]
    )


# --- refused origins ----------------------------------------------------------------------

REFUSED_ORIGINS_KEPT = 20
# A repeat of one origin is written at most once a minute, and a site records at most this
# many refusals a minute: a flood of forged Origin headers costs a few rows, never a table.
REFUSED_RECORD_EVERY_SECONDS = 60
REFUSED_RECORDS_PER_SITE_PER_MINUTE = 30


def _refused_record_due(*, site_id: int, origin: str) -> bool:
    """Whether this refusal should be written now (cache gates; Redis down: not written)."""
    try:
        if not cache.add(f"refused-origin:{site_id}:{origin}", 1, REFUSED_RECORD_EVERY_SECONDS):
            return False
        budget_key = f"refused-origins:{site_id}:{int(timezone.now().timestamp() // 60)}"
        cache.add(budget_key, 0, 120)
        return cache.incr(budget_key) <= REFUSED_RECORDS_PER_SITE_PER_MINUTE
    except Exception as error:
        logger.warning("Refused origin not recorded, cache unavailable (%s).", error)
        return False


def widget_origin_refused_record(*, site_id: int, origin: str, now: datetime | None = None) -> bool:
    """Remember that the widget of `site_id` was refused on `origin` (True when written).

    One upsert; a new origin also drops the site's oldest beyond REFUSED_ORIGINS_KEPT. Never
    raises: the visitor's answer (403 origin_not_allowed) does not depend on it.
    """
    if not _refused_record_due(site_id=site_id, origin=origin):
        return False
    now = now or timezone.now()
    table = connection.ops.quote_name(RefusedOrigin._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (site_id, origin, times_seen, first_seen_at, last_seen_at) "
                "VALUES (%s, %s, 1, %s, %s) ON CONFLICT (site_id, origin) DO UPDATE SET "
                f"times_seen = {table}.times_seen + 1, last_seen_at = EXCLUDED.last_seen_at "
                "RETURNING (xmax = 0)",
                [site_id, origin, now, now],
            )
            inserted = cursor.fetchone()[0]
            if inserted:
                cursor.execute(
                    f"DELETE FROM {table} WHERE site_id = %s AND id NOT IN (SELECT id FROM "
                    f"{table} WHERE site_id = %s ORDER BY last_seen_at DESC, id DESC LIMIT %s)",
                    [site_id, site_id, REFUSED_ORIGINS_KEPT],
                )
    except DatabaseError as error:  # e.g. a site deleted while its cached copy lives on
        logger.warning("Refused origin of site %s not recorded (%s).", site_id, error)
        return False
    return True


@transaction.atomic
def widget_origin_allow(*, site: WidgetSite, refused_id: int) -> WidgetSite:
    """Add a refused origin to the site's allowed origins (the seller's Allow button)."""
    refused = RefusedOrigin.objects.filter(pk=refused_id, site=site).first()
    if refused is None:
        raise SignupsError(
            "This refused origin is no longer listed.",
            code=SignupsErrorCode.REFUSED_ORIGIN_NOT_FOUND,
        )
    site = widget_site_update(site=site, allowed_origins=[*site.allowed_origins, refused.origin])
    refused.delete()
    return site


# --- the console's live preview -------------------------------------------------------------

PREVIEW_TOKEN_SALT = "signups.widget-preview"
PREVIEW_TOKEN_MAX_AGE_SECONDS = 3600


def widget_preview_token(*, site: WidgetSite) -> str:
    """A short-lived token that lets the console's preview page (on the store's own host) use
    the site's widget: signed, bound to this store's schema and this site."""
    return signing.TimestampSigner(salt=PREVIEW_TOKEN_SALT).sign(
        f"{connection.schema_name}:{site.pk}"
    )


def widget_preview_token_valid(*, token: str, site: WidgetSite) -> bool:
    try:
        value = signing.TimestampSigner(salt=PREVIEW_TOKEN_SALT).unsign(
            token or "", max_age=PREVIEW_TOKEN_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        return False
    return value == f"{connection.schema_name}:{site.pk}"


# --- signups ------------------------------------------------------------------------------


def email_normalize(raw: str) -> str:
    """Trimmed, lower-cased and checked; SignupsError(invalid_email) otherwise."""
    email = (raw or "").strip().lower()
    if not email or len(email) > 254:
        raise SignupsError("Enter a valid e-mail address.", code=SignupsErrorCode.INVALID_EMAIL)
    try:
        validate_email(email)
    except ValidationError as error:
        raise SignupsError(
            "Enter a valid e-mail address.", code=SignupsErrorCode.INVALID_EMAIL
        ) from error
    return email


def ip_truncate(raw: str | None) -> str | None:
    """Keep only the network part (IPv4 /24, IPv6 /48): enough for abuse review, not a person."""
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 48
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    return str(network.network_address)


def page_url_clean(raw: str) -> str:
    url = (raw or "").strip()
    # Only web pages; anything else (javascript:, data:) is dropped rather than refused.
    if origin_from_url(url) is None:
        return ""
    return url[:2000]


@dataclass(frozen=True)
class SignupResult:
    created: bool
    signup_id: int | None


def signup_create(
    *,
    site: WidgetSite,
    email: str,
    name: str = "",
    consent: bool = False,
    page_url: str = "",
    ip: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> SignupResult:
    """Store a new e-mail once; an address the store already has changes nothing.

    One INSERT … ON CONFLICT DO NOTHING: no race between two visitors with the same address
    and one round trip on the hot path (the widget endpoint), the store's search path included.
    """
    email = email_normalize(email)
    now = now or timezone.now()
    table = connection.ops.quote_name(Signup._meta.db_table)
    # With the store's search path in the same round trip (saas.store_sql).
    row = store_fetchone(
        f"INSERT INTO {table} (email, name, site_id, page_url, consent, consent_at, "
        "ip_truncated, user_agent, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (email) DO NOTHING RETURNING id",
        [
            email,
            (name or "").strip()[:120],
            site.pk,
            page_url_clean(page_url),
            bool(consent),
            now if consent else None,
            ip_truncate(ip),
            (user_agent or "").replace("\x00", "")[:400],
            now,
        ],
    )
    return SignupResult(created=row is not None, signup_id=row[0] if row else None)


# --- digest -------------------------------------------------------------------------------


def store_owners(*, store: Store) -> list[Seller]:
    """The store's owners whose e-mail address is verified: the digest's recipients.

    A verified mobile is not enough here: the digest goes to the address, and only the link
    we sent to it proves the address is the owner's (else any address could be made a target).
    """
    return list(
        Seller.objects.filter(
            memberships__store_id=store.pk,
            memberships__role=StoreMembership.Role.OWNER,
            is_active=True,
            email_verified_at__isnull=False,
        )
        .exclude(email__isnull=True)
        .exclude(email="")
        .order_by("id")
    )


def _digest_claim(*, run_key: str, now: datetime) -> SignupDigest:
    """The digest row of this run, made on its first attempt with the figures of that moment."""
    with transaction.atomic():
        digest = SignupDigest.objects.select_for_update().filter(run_key=run_key).first()
        if digest is not None:
            return digest
        previous = SignupDigest.objects.order_by("-covered_until").first()
        stats = signup_stats(now=now)
        since_last = Signup.objects.filter(created_at__lte=now)
        if previous is not None:
            since_last = since_last.filter(created_at__gt=previous.covered_until)
        return SignupDigest.objects.create(
            run_key=run_key,
            created_at=now,
            covered_until=now,
            month_label=store_month_label(now=now),
            this_month=stats.this_month,
            since_last=since_last.count(),
            total=stats.total,
        )


def signup_digest_send(*, store: Store, run_key: str, now: datetime | None = None) -> SignupDigest:
    """Print the month's count and e-mail it to each owner, once per run key.

    Each recipient is claimed (committed) before the mail goes out, so a retried run skips
    them; when the mail backend refuses, the claim is released and a retry may send it.
    """
    now = now or timezone.now()
    digest = _digest_claim(run_key=run_key, now=now)
    headline = f"{store.name}: {digest.this_month} new signups in {digest.month_label}"
    print(headline, flush=True)
    logger.info(headline)
    latest = signup_latest(until=digest.covered_until, limit=DIGEST_LATEST_COUNT)
    zone = store.timezone
    body = render_to_string(
        "signups/digest_email.txt",
        {"store": store, "digest": digest, "latest": latest, "timezone": zone},
    )
    for owner in store_owners(store=store):
        if not _digest_recipient_claim(digest_id=digest.pk, email=owner.email):
            continue
        try:
            send_mail(headline, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
        except Exception:
            _digest_recipient_release(digest_id=digest.pk, email=owner.email)
            raise
    digest.refresh_from_db()
    return digest


@transaction.atomic
def _digest_recipient_claim(*, digest_id: int, email: str) -> bool:
    digest = SignupDigest.objects.select_for_update().get(pk=digest_id)
    if email in digest.recipients_sent:
        return False
    digest.recipients_sent = [*digest.recipients_sent, email]
    digest.save(update_fields=["recipients_sent"])
    return True


@transaction.atomic
def _digest_recipient_release(*, digest_id: int, email: str) -> None:
    digest = SignupDigest.objects.select_for_update().get(pk=digest_id)
    digest.recipients_sent = [e for e in digest.recipients_sent if e != email]
    digest.save(update_fields=["recipients_sent"])
