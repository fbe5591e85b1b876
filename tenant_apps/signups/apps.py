from django.apps import AppConfig


class SignupsConfig(AppConfig):
    name = "tenant_apps.signups"
    label = "signups"
