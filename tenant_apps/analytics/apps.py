# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class AnalyticsConfig(tools.ToolConfig):
    name = "tenant_apps.analytics"
    label = "analytics"
    store_urls = "tenant_apps.analytics.urls"
    console = (tools.ConsoleEntry(label="Analytics", url_name="console-analytics", order=70),)
    console_urls = "tenant_apps.analytics.console_urls"
    console_settings = (
        tools.ConsoleEntry(label="Ingestion tokens", url_name="console-analytics-tokens", order=40),
    )

    def console_overview(self, request):
        from django.urls import reverse

        from .selectors import analytics_period, analytics_summary  # models load after apps

        today = analytics_period(start=None, end=None)
        today = analytics_period(start=today.end, end=today.end)
        summary = analytics_summary(period=today)
        return [
            tools.OverviewCard(
                title="Support conversations today",
                value=str(summary["conversations_created"]),
                url=reverse("console-analytics"),
                detail=(
                    f"{summary['conversations_closed']} resolved · {summary['open_now']} open now"
                ),
            )
        ]
