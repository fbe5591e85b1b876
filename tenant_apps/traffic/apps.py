# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class TrafficConfig(tools.ToolConfig):
    name = "tenant_apps.traffic"
    label = "traffic"
    store_urls = "tenant_apps.traffic.urls"
    console = (tools.ConsoleEntry(label="Traffic", url_name="console-traffic", order=80),)
    console_urls = "tenant_apps.traffic.console_urls"
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

    def console_overview(self, request):
        from django.urls import reverse
        from django.utils import timezone

        from .selectors import repository_last_fetched  # models are not ready when apps load

        url = reverse("console-traffic")
        fetched = repository_last_fetched(seller=request.user)
        if fetched is None:
            return [
                tools.OverviewCard(
                    title="Last traffic fetch",
                    value="Never",
                    url=f"{url}#add-repository",
                    detail="Add a repository to keep its GitHub traffic",
                )
            ]
        when = timezone.localtime(fetched.last_fetch_at)
        detail = fetched.full_name + (" · failed" if fetched.last_error else "")
        return [
            tools.OverviewCard(
                title="Last traffic fetch",
                value=f"{when:%-d %b %Y, %H:%M}",
                url=url,
                detail=detail,
            )
        ]
