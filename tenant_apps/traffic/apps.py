# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class TrafficConfig(tools.ToolConfig):
    name = "tenant_apps.traffic"
    label = "traffic"
    store_urls = "tenant_apps.traffic.urls"
    console = (
        tools.ConsoleEntry(
            label="Traffic", url_name="store_admin:traffic_repository_changelist", order=80
        ),
    )
    schedules = (
        tools.Schedule(
            key="traffic-fetch",
            title="GitHub traffic fetch",
            task="tenant_apps.traffic.tasks.traffic_fetch_all_task",
            minute="15",
            hour="3",
        ),
    )

    def demo_fill(self, store):
        from .demo import demo_fill  # models are not ready when apps load

        demo_fill(seller=store.owner)
