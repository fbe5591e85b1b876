from django.http import Http404
from django.views.generic import TemplateView

from saas.access.membership import request_is_platform

from .images import image_base_url
from .selectors import storefront_catalog_rows


class StoreHostRequiredMixin:
    """A page that exists only on a store host: 404 on the platform host."""

    def dispatch(self, request, *args, **kwargs):
        if request_is_platform(request):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StorefrontView(StoreHostRequiredMixin, TemplateView):
    """The store link: the shop page buyers open. Cart, sign-in and checkout run in the page
    against the buyer APIs; the catalogue is rendered on the server so it shows at once."""

    template_name = "storefront/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["store"] = self.request.tenant
        context["categories"] = storefront_catalog_rows(image_base_url=image_base_url(self.request))
        return context
