from django.apps import AppConfig


class StoreAdminLogConfig(AppConfig):
    """The store admin's history table (`django_admin_log` in each store schema), as the
    platform wants it: its migrations only, no models and no tool of its own."""

    name = "tenants.store_admin_log"
    label = "store_admin_log"
