from django.core.management.base import BaseCommand

from tenants.services import platform_tenants_ensure


class Command(BaseCommand):
    help = "Create the platform tenant (root host) and the store template schema if missing."

    def handle(self, *args, **options):
        platform_tenants_ensure()
        self.stdout.write("Platform tenant and store template are in place.")
