from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tenants.utils import tenant_context

from saas.tools import registered_tools
from shared_apps.accounts.models import ApiToken, Seller
from shared_apps.accounts.services import api_token_create
from tenants.models import Store, store_url_for_host
from tenants.services import platform_tenants_ensure, store_create

DEMO_MOBILE = "+919876500000"
DEMO_EMAIL = "demo@example.com"


class Command(BaseCommand):
    help = "Create (or keep) the demo seller and the store `demo`, and print how to use them."

    def handle(self, *args, **options):
        platform_tenants_ensure()
        seller = Seller.objects.filter(mobile=DEMO_MOBILE).first() or Seller.objects.create_user(
            mobile=DEMO_MOBILE,
            email=DEMO_EMAIL,
            name="Demo Seller",
            # The demo mobile signs in with a code: verified, so the demo store sends mail.
            mobile_verified_at=timezone.now(),
        )
        store = Store.objects.filter(slug="demo").first() or store_create(
            owner=seller, name="Demo", slug="demo", address="1 Demo Street", timezone="Asia/Kolkata"
        )
        # Stores made before a tool existed get its defaults; then each tool fills the demo.
        call_command("widget_sites_ensure", verbosity=0)
        with tenant_context(store):
            for tool in registered_tools():
                tool.demo_fill(store)
        # Keys are stored hashed, so the demo key is made anew each time to be printable.
        ApiToken.objects.filter(seller=seller, name="demo").delete()
        _, key = api_token_create(seller=seller, name="demo")
        platform = store_url_for_host(settings.SAAS_ROOT_DOMAIN)
        code = settings.OTP_FIXED_CODE or "(see the SMS line in the log)"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Seller Suite demo",
                    f"  platform      {platform}",
                    f"  console       {platform}login?next=/stores  (sign in with the demo mobile,"
                    " then Open console)",
                    f"  storefront    {store.link}",
                    f"  store admin   {store.link}admin/",
                    f"  API docs      {platform}api/docs/",
                    f"  demo mobile   {DEMO_MOBILE}",
                    f"  OTP code      {code}",
                    f"  API token     {key}",
                    "",
                ]
            )
        )
