"""`manage.py analytics_rebuild --store <slug>`: recompute a store's rollups and conversation
states from its recorded events. Safe to run any number of times (the result is the same)."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenant_apps.analytics.services import analytics_rollups_rebuild
from tenants.models import Store


class Command(BaseCommand):
    help = "Rebuild a store's support analytics rollups from its recorded events."

    def add_arguments(self, parser):
        parser.add_argument("--store", required=True, help="The store's slug")

    def handle(self, *args, store, **options):
        found = Store.objects.filter(slug=store).first()
        if found is None or found.is_platform:
            raise CommandError(f"No store with slug {store!r}.")
        with tenant_context(found):
            result = analytics_rollups_rebuild()
        self.stdout.write(
            f"{found.slug}: {result.conversations} conversations, {result.events} events, "
            f"{result.rollup_rows} rollup rows"
        )
