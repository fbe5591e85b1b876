from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenant_apps.conversations.demo import conversation_demo_load
from tenants.models import Store


class Command(BaseCommand):
    help = (
        "Load demo operators, clients, discount codes and conversations into a store "
        "(idempotent: run it again and nothing is duplicated)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", required=True, help="the store's slug, e.g. demo")

    def handle(self, *args, store, **options):
        found = Store.objects.filter(slug=store).first()
        if found is None or found.is_platform:
            raise CommandError(
                f"No store {store!r}. Create it first (`python manage.py demo_setup` makes 'demo')."
            )
        with tenant_context(found):
            result = conversation_demo_load()
        self.stdout.write(
            f"Store {found.slug}: {result.operators} operators, {result.clients} clients, "
            f"{result.conversations} conversations, {result.chats} messages."
        )
