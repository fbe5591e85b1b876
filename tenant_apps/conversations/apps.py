# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class ConversationsConfig(tools.ToolConfig):
    name = "tenant_apps.conversations"
    label = "conversations"
    store_urls = "tenant_apps.conversations.urls"
    console = (
        tools.ConsoleEntry(label="Conversations", url_name="console-conversations", order=60),
    )
    console_urls = "tenant_apps.conversations.console_urls"
    schedules = (
        tools.Schedule(
            key="conversation-mail-dispatch",
            title="Conversation mail dispatch (client's 09:00-20:00)",
            task="tenant_apps.conversations.tasks.conversation_mail_dispatch_task",
            minute="0",
            hour="*",
        ),
    )

    def demo_fill(self, store):
        from .demo import conversation_demo_load  # models are not ready when apps load

        conversation_demo_load()

    def console_overview(self, request):
        from django.urls import reverse

        from .selectors import conversation_inbox_counts

        counts = conversation_inbox_counts()
        return [
            tools.OverviewCard(
                title="Open conversations",
                value=str(counts.open),
                url=reverse("console-conversations"),
                detail=f"{counts.waiting} waiting for a reply",
            )
        ]
