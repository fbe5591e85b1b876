from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "tenant_apps.conversations"
    label = "conversations"
