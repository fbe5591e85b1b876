# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class CatalogConfig(tools.ToolConfig):
    name = "tenant_apps.catalog"
    label = "catalog"
    store_urls = "tenant_apps.catalog.urls"
    console = (
        tools.ConsoleEntry(
            label="Products", url_name="store_admin:catalog_product_changelist", order=20
        ),
    )

    def demo_fill(self, store):
        from .demo import demo_fill  # models are not ready when apps load

        demo_fill()
