"""`manage.py traffic_github_tokens_rotate [--store <slug>]`: re-encrypt every store's GitHub
token with the first of `TRAFFIC_TOKEN_KEYS`, so the older keys can then be removed.

Safe to run any number of times; docs/traffic.md, "Rotating the GitHub token key"."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenant_apps.traffic.services import github_token_rotate
from tenants.models import Store


class Command(BaseCommand):
    help = "Re-encrypt the stored GitHub tokens with the first of TRAFFIC_TOKEN_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--store", help="only this store's slug (default: every store)")

    def handle(self, *args, store=None, **options):
        stores = [found for found in Store.objects.order_by("id") if not found.is_platform]
        if store is not None:
            stores = [found for found in stores if found.slug == store]
            if not stores:
                raise CommandError(f"No store with slug {store!r}.")
        counts = {True: 0, False: 0, None: 0}
        for found in stores:
            with tenant_context(found):
                outcome = github_token_rotate()
            counts[outcome] += 1
            if outcome is False:
                self.stderr.write(
                    f"{found.slug}: no configured key reads the GitHub token; "
                    "a member sets it again (the fetch already asks for it)."
                )
        self.stdout.write(
            f"{counts[True]} token(s) re-encrypted, {counts[False]} unreadable, "
            f"{counts[None]} store(s) without a token."
        )
