from django.apps import AppConfig


class TrafficConfig(AppConfig):
    name = "tenant_apps.traffic"
    label = "traffic"
