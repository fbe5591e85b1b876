# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class CatalogConfig(tools.ToolConfig):
    name = "tenant_apps.catalog"
    label = "catalog"
    store_urls = "tenant_apps.catalog.urls"
    console = (tools.ConsoleEntry(label="Products", url_name="console-products", order=20),)
    console_urls = "tenant_apps.catalog.console_urls"

    def store_setup(self, store):
        from .services import catalogue_changed  # models are not ready when apps load

        # A new store may reuse a deleted store's schema name, and so its cache keys: it starts
        # with a version of its own.
        catalogue_changed()

    def demo_fill(self, store):
        from .demo import demo_fill  # models are not ready when apps load

        demo_fill()

    def console_checklist(self, request):
        from django.urls import reverse

        from .selectors import product_any_exists  # models are not ready when apps load

        return [
            tools.ChecklistStep(
                label="Add your first product",
                url=reverse("console-product-new"),
                done=product_any_exists(),
            )
        ]
