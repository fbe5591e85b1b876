from decimal import Decimal

from django.conf import settings
from django.db import connection, models
from django_celery_beat.models import PeriodicTask
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_creation_fakes_migrations, schema_exists

from saas.validation import validate_timezone

from .cloning import schema_clone, schema_clone_supported

# Migrations name `tenants.models.validate_timezone`; the rule itself lives in saas.validation.
__all__ = ["Domain", "SpareSchema", "Store", "StoreSchedule", "validate_timezone"]


class Store(TenantMixin):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=40, unique=True)
    address = models.TextField(blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_stores",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the store charges besides its prices (tenants/store_settings.py checks them; the
    # orders tool reads them as its pricing rules and copies them onto each order).
    currency = models.CharField(max_length=3, default="INR")
    delivery_fee = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    free_delivery_above = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0.00"))
    tax_inclusive = models.BooleanField(default=True)
    cod_enabled = models.BooleanField(default=True)
    upi_id = models.CharField(max_length=320, null=True, blank=True)

    auto_create_schema = True
    auto_drop_schema = True

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the template with our catalog-local copy (see tenants/cloning.py).

        The template's applied-migrations rows come along, so no fake migrate run is needed.
        """
        base_schema = self.get_base_schema() if get_creation_fakes_migrations() else False
        if check_if_exists and schema_exists(self.schema_name):
            return False
        if sync_schema and base_schema and base_schema != self.schema_name:
            # A spare schema from the pool, renamed inside this transaction (tenants/pool.py).
            from .pool import spare_schema_take

            if spare_schema_take(target=self.schema_name):
                return True
        if (
            sync_schema
            and base_schema
            and schema_exists(base_schema)
            and not schema_exists(self.schema_name)
            and schema_clone_supported(source=base_schema)
        ):
            schema_clone(source=base_schema, target=self.schema_name)
            connection.set_schema_to_public()
            return True
        return super().create_schema(
            check_if_exists=check_if_exists, sync_schema=sync_schema, verbosity=verbosity
        )

    def __str__(self):
        return self.name

    @property
    def is_platform(self) -> bool:
        """The public tenant and the template are not stores anyone shops in."""
        return self.schema_name in (settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA)

    @property
    def link(self) -> str:
        domain = self.get_primary_domain()
        return store_url_for_host(domain.domain) if domain else ""


def store_url_for_host(host: str) -> str:
    port = f":{settings.SAAS_URL_PORT}" if settings.SAAS_URL_PORT else ""
    return f"{settings.SAAS_URL_SCHEME}://{host}{port}/"


class Domain(DomainMixin):
    def __str__(self):
        return self.domain


class SpareSchema(models.Model):
    """A schema cloned from the template ahead of time, waiting to become a store's schema.

    Taken with `SELECT ... FOR UPDATE SKIP LOCKED` and renamed in the provisioning transaction
    (tenants/pool.py); the row and the schema are created and removed in one transaction.
    """

    schema_name = models.CharField(max_length=63, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.schema_name


class StoreSchedule(models.Model):
    """Links a django-celery-beat PeriodicTask to the store it runs for.

    The task's headers carry the store's schema so tenant-schemas-celery runs it inside the
    store; the store admin lists only the schedules linked here.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="schedules")
    key = models.CharField(max_length=50)
    periodic_task = models.OneToOneField(
        PeriodicTask, on_delete=models.CASCADE, related_name="store_schedule"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "key"], name="tenants_schedule_unique_key"),
        ]

    def __str__(self):
        return f"{self.store.slug}: {self.key}"
