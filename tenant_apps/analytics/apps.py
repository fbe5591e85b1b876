# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class AnalyticsConfig(tools.ToolConfig):
    name = "tenant_apps.analytics"
    label = "analytics"
    store_urls = "tenant_apps.analytics.urls"
    console = (tools.ConsoleEntry(label="Analytics", url_name="analytics-dashboard", order=70),)
