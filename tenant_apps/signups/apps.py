# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class SignupsConfig(tools.ToolConfig):
    name = "tenant_apps.signups"
    label = "signups"
    store_urls = "tenant_apps.signups.urls"
    # The widget's script is served from the platform host, one URL for every store.
    platform_urls = "tenant_apps.signups.urls_platform"
    console = (tools.ConsoleEntry(label="Signups", url_name="console-signups", order=50),)
    console_urls = "tenant_apps.signups.console_urls"
    schedules = (
        tools.Schedule(
            key="signup-digest",
            title="Signup digest (e-mail the month's new signups)",
            task="tenant_apps.signups.tasks.signup_digest_task",
            minute="0",
            hour="8",
            day_of_week="1,3",
        ),
    )

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings check)

    def store_setup(self, store) -> None:
        # Imported here: apps.py loads before the models are ready, services import models.
        from .services import widget_site_create_default

        widget_site_create_default(store=store)

    def demo_fill(self, store):
        from .demo import demo_fill  # models are not ready when apps load

        demo_fill()

    def console_overview(self, request):
        from django.urls import reverse

        from .selectors import signup_list_today, signup_stats

        this_month = signup_stats().this_month
        return [
            tools.OverviewCard(
                title="New signups today",
                value=str(signup_list_today().count()),
                url=reverse("console-signups"),
                detail=f"{this_month} this month",
            )
        ]

    def console_checklist(self, request):
        from django.urls import reverse

        from .selectors import signup_received_any

        return [
            tools.ChecklistStep(
                label="Put the signup widget on your site",
                url=reverse("console-signup-sites"),
                done=signup_received_any(),
            )
        ]
