from django.core.management.base import BaseCommand, CommandError

from saas.api.errors import ApplicationError
from shared_apps.accounts.models import Seller
from tenants.services import store_create


class Command(BaseCommand):
    help = "Create a store (schema, domain, owner membership, default schedules)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner-mobile", help="E.164 mobile of an existing seller")
        parser.add_argument("--owner-email", help="e-mail of an existing seller")
        parser.add_argument("--address", default="")
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument("--slug", default="", help="default: from the name")

    def handle(self, *args, **options):
        owner = None
        if options["owner_mobile"]:
            owner = Seller.objects.filter(mobile=options["owner_mobile"]).first()
        elif options["owner_email"]:
            owner = Seller.objects.filter(email__iexact=options["owner_email"]).first()
        if (options["owner_mobile"] or options["owner_email"]) and owner is None:
            raise CommandError("No seller with that mobile or e-mail.")
        try:
            store = store_create(
                owner=owner,
                name=options["name"],
                address=options["address"],
                timezone=options["timezone"],
                slug=options["slug"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Created store {store.slug}: {store.link}"))
