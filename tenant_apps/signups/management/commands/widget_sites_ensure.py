from django.conf import settings
from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from tenant_apps.signups.models import WidgetSite
from tenant_apps.signups.services import widget_site_create_default
from tenants.models import Store


class Command(BaseCommand):
    help = (
        "Give every store without a widget site its default one (stores made before the "
        "signup widget existed). Idempotent."
    )

    def handle(self, *args, **options):
        stores = Store.objects.exclude(
            schema_name__in=[settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA]
        ).order_by("id")
        made = 0
        for store in stores:
            with tenant_context(store):
                if WidgetSite.objects.exists():
                    continue
                site = widget_site_create_default(store=store)
                made += 1
                self.stdout.write(f"{store.slug}: {site.name} ({', '.join(site.allowed_origins)})")
        self.stdout.write(f"{made} widget site(s) made.")
