# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class SignupsConfig(tools.ToolConfig):
    name = "tenant_apps.signups"
    label = "signups"
    store_urls = "tenant_apps.signups.urls"
    # The widget's script is served from the platform host, one URL for every store.
    platform_urls = "tenant_apps.signups.urls_platform"
    console = (tools.ConsoleEntry(label="Signups", url_name="signup-dashboard", order=50),)
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
