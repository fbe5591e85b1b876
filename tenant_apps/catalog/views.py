from django.conf import settings
from django.http import Http404
from django.views.generic import TemplateView

from .apis import storefront_catalog_data


class StorefrontView(TemplateView):
    """The store link: the shop page buyers open. Cart, sign-in and checkout run in the page
    against the buyer APIs; the catalogue is rendered on the server so it shows at once."""

    template_name = "storefront/index.html"

    def get(self, request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["store"] = self.request.tenant
        context["categories"] = storefront_catalog_data(self.request)
        return context
