from django.apps import AppConfig


class SignupsConfig(AppConfig):
    name = "tenant_apps.signups"
    label = "signups"

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings check)
