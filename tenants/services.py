import json
import re
from typing import Unpack
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks
from django_tenants.utils import schema_context, tenant_context

from saas.api.errors import ApplicationError
from saas.tools import Schedule, registered_tools, store_default_schedules
from shared_apps.accounts.models import Seller, StoreMembership

from .errors import StoreErrorCode
from .models import Domain, Store, StoreSchedule, validate_timezone
from .store_settings import SellingSettings, selling_settings_apply


class StoreError(ApplicationError):
    pass


RESERVED_SLUGS = frozenset(
    {
        "www", "api", "admin", "static", "media", "app", "mail", "smtp", "ftp", "cdn",
        "assets", "login", "logout", "dashboard", "docs", "status", "help", "support",
        "public", "template", "store-template", "platform", "root", "healthz", "billing",
    }
)  # fmt: skip
SLUG_MAX_LENGTH = 40


def store_slug_base(name: str) -> str:
    # Underscores are folded into hyphens so that the schema name (slug with "_") stays unique.
    slug = slugify(name).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug[:SLUG_MAX_LENGTH].strip("-")


def store_slug_generate(*, name: str) -> str:
    base = store_slug_base(name)
    if not base:
        raise StoreError(
            "The store name needs at least one letter or digit.", code=StoreErrorCode.INVALID_NAME
        )
    if base in RESERVED_SLUGS:
        raise StoreError(f"The name {base!r} is reserved.", code=StoreErrorCode.RESERVED_NAME)
    taken = set(
        Store.objects.filter(slug__regex=rf"^{re.escape(base)}(-[0-9]+)?$").values_list(
            "slug", flat=True
        )
    )
    if base not in taken:
        return base
    suffix = 2
    while True:
        tail = f"-{suffix}"
        candidate = f"{base[: SLUG_MAX_LENGTH - len(tail)]}{tail}"
        if candidate not in taken:
            return candidate
        suffix += 1


def store_schema_name(slug: str) -> str:
    return "store_" + slug.replace("-", "_")


def store_primary_host(slug: str) -> str:
    return f"{slug}.{settings.SAAS_ROOT_DOMAIN}"


def store_create(
    *, owner: Seller | None, name: str, address: str = "", timezone: str = "UTC", slug: str = ""
) -> Store:
    """Provision a store: schema (cloned from the template), domain, owner, schedules."""
    name = name.strip()
    if not name:
        raise StoreError("A store needs a name.", code=StoreErrorCode.INVALID_NAME)
    try:
        validate_timezone(timezone)
    except Exception as error:
        raise StoreError(
            f"{timezone!r} is not an IANA timezone.", code=StoreErrorCode.INVALID_TIMEZONE
        ) from error
    with transaction.atomic():
        slug = slug or store_slug_generate(name=name)
        store = Store(
            schema_name=store_schema_name(slug),
            name=name,
            slug=slug,
            address=address,
            timezone=timezone,
            owner=owner,
        )
        store.save(verbosity=0)  # creates the schema by cloning TENANT_BASE_SCHEMA
        Domain.objects.create(domain=store_primary_host(slug), tenant=store, is_primary=True)
        if owner is not None:
            StoreMembership.objects.create(
                store=store, seller=owner, role=StoreMembership.Role.OWNER
            )
        store_schedules_create(store=store, schedules=store_default_schedules())
        with tenant_context(store):
            for tool in registered_tools():
                tool.store_setup(store)
    return store


def store_schedules_create(*, store: Store, schedules: list[Schedule]) -> list[StoreSchedule]:
    """The store's periodic tasks in three inserts. `bulk_create` skips django-celery-beat's
    per-row save (a uniqueness query and a `PeriodicTasks` bump per row: half of a pooled
    store_create); its checks hold here (one crontab each, unique names), and beat is told
    once at the end."""
    crontabs = CrontabSchedule.objects.bulk_create(
        [
            CrontabSchedule(
                minute=schedule.minute, hour=schedule.hour, day_of_week=schedule.day_of_week,
                day_of_month="*", month_of_year="*", timezone="UTC",
            )
            for schedule in schedules
        ]
    )  # fmt: skip
    headers = json.dumps({"_schema_name": store.schema_name})
    periodic_tasks = PeriodicTask.objects.bulk_create(
        [
            PeriodicTask(
                name=f"{store.slug}: {schedule.title}", task=schedule.task, crontab=crontab,
                headers=headers, description=f"Store {store.slug}",
            )
            for schedule, crontab in zip(schedules, crontabs, strict=True)
        ]
    )  # fmt: skip
    links = StoreSchedule.objects.bulk_create(
        [
            StoreSchedule(store=store, key=schedule.key, periodic_task=task)
            for schedule, task in zip(schedules, periodic_tasks, strict=True)
        ]
    )
    PeriodicTasks.update_changed()
    return links


@transaction.atomic
def store_delete(*, store: Store) -> None:
    """Remove a store: its schedules (and their crontabs), memberships, domains and schema."""
    schedules = list(store.schedules.select_related("periodic_task"))
    crontab_ids = [s.periodic_task.crontab_id for s in schedules if s.periodic_task.crontab_id]
    PeriodicTask.objects.filter(store_schedule__in=schedules).delete()
    CrontabSchedule.objects.filter(id__in=crontab_ids, periodictask__isnull=True).delete()
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        store.delete(force_drop=True)


PLATFORM_OTP_CLEANUP_TASK_NAME = "platform: spent seller login codes clean-up"
PLATFORM_POOL_FILL_TASK_NAME = "platform: spare store schemas refill"


def platform_task_ensure(*, name: str, task: str, minute: str, hour: str) -> PeriodicTask:
    """A platform-wide periodic task (no schema header: it runs in the public schema)."""
    crontab = CrontabSchedule.objects.filter(
        periodictask__name=name
    ).first() or CrontabSchedule.objects.create(minute=minute, hour=hour, timezone="UTC")
    return PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": crontab}
    )[0]


def platform_tenants_ensure() -> None:
    """The public tenant (root host) and the migrated template every store is cloned from.

    Idempotent; run after `migrate_schemas --shared` (make run, tests, deploy).
    """
    public, _ = Store.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={"name": "Seller Suite", "slug": "public"},
    )
    hosts = [settings.SAAS_ROOT_DOMAIN, *settings.SAAS_PLATFORM_EXTRA_HOSTS]
    for index, host in enumerate(dict.fromkeys(hosts)):
        Domain.objects.get_or_create(
            domain=host, defaults={"tenant": public, "is_primary": index == 0}
        )
    platform_task_ensure(
        name=PLATFORM_OTP_CLEANUP_TASK_NAME,
        task="shared_apps.accounts.tasks.otp_challenges_expired_delete_task",
        minute="50",
        hour="2",
    )
    # Takers queue a refill themselves; this catches refills lost to a broker outage.
    platform_task_ensure(
        name=PLATFORM_POOL_FILL_TASK_NAME,
        task="tenants.tasks.store_schema_pool_fill_task",
        minute="*/10",
        hour="*",
    )
    if not Store.objects.filter(schema_name=settings.TENANT_BASE_SCHEMA).exists():
        # Saving the template migrates it from zero (there is nothing to clone from yet).
        Store(
            schema_name=settings.TENANT_BASE_SCHEMA, name="Store template", slug="store-template"
        ).save(verbosity=0)


def store_host_from_link(link: str) -> str:
    link = link.strip()
    if "://" not in link and "/" not in link and "." not in link:
        return store_primary_host(link.lower())
    parts = urlsplit(link if "://" in link else f"//{link}")
    return (parts.hostname or "").lower()


@transaction.atomic
def store_schedule_update(
    *,
    schedule: StoreSchedule,
    enabled: bool,
    minute: str,
    hour: str,
    day_of_week: str,
    day_of_month: str = "*",
    month_of_year: str = "*",
) -> StoreSchedule:
    task = schedule.periodic_task
    crontab = task.crontab
    crontab.minute, crontab.hour = minute, hour
    crontab.day_of_week, crontab.day_of_month, crontab.month_of_year = (
        day_of_week,
        day_of_month,
        month_of_year,
    )
    crontab.save()
    task.enabled = enabled
    # Saving the task bumps PeriodicTasks.last_update, so a running beat picks the change up.
    task.save()
    return schedule


PROFILE_ADDRESS_MAX_LENGTH = 500


@transaction.atomic
def store_profile_update(
    *,
    store: Store,
    name: str | None = None,
    address: str | None = None,
    timezone: str | None = None,
    **selling: Unpack[SellingSettings],
) -> Store:
    """Change the store's name, address, timezone or selling settings (an owner's call; see
    store_settings.py); the slug and the store link stay, so links handed out keep working."""
    fields = selling_settings_apply(store=store, **selling)
    if name is not None:
        name = name.strip()
        if not name or len(name) > Store._meta.get_field("name").max_length:
            raise StoreError(
                "A store needs a name of at most 120 characters.",
                code=StoreErrorCode.INVALID_NAME,
            )
        store.name = name
        fields.append("name")
    if address is not None:
        if len(address) > PROFILE_ADDRESS_MAX_LENGTH:
            raise StoreError(
                f"The address can be at most {PROFILE_ADDRESS_MAX_LENGTH} characters.",
                code=StoreErrorCode.INVALID_ADDRESS,
            )
        store.address = address.strip()
        fields.append("address")
    if timezone is not None:
        try:
            validate_timezone(timezone)
        except Exception as error:
            raise StoreError(
                f"{timezone[:64]!r} is not a timezone: pick one from the list, like Asia/Kolkata.",
                code=StoreErrorCode.INVALID_TIMEZONE,
            ) from error
        store.timezone = timezone
        fields.append("timezone")
    if fields:
        store.save(update_fields=fields)
    return store
