from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Stores"

    def ready(self):
        # Store host caches (saas/tenant_middleware.py) hear of every store and domain change.
        from saas.tenant_middleware import tenant_hosts_signals_connect

        tenant_hosts_signals_connect()
