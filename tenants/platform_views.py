"""Your stores, Create your store and Open console, on the platform host.

Opening a console goes through the sign-in hand-off (saas/access/handoff.py): the token is
made when the seller clicks, never written into a page.
"""

from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from saas.access.handoff import handoff_url
from saas.access.membership import seller_membership
from saas.api.errors import ApplicationError
from saas.api.throttles import StoresCreateIpThrottle, StoresCreateSellerThrottle, throttles_check
from shared_apps.accounts.pages import member_page, page_error
from shared_apps.accounts.selectors import membership_list

from .platform_forms import StoreCreateForm
from .services import store_create

# The limits of POST /api/stores (tenants/apis.py StoreListCreateApi), counted together.
STORE_CREATE_THROTTLES = (StoresCreateSellerThrottle, StoresCreateIpThrottle)


@member_page
def stores_view(request):
    memberships = list(membership_list(seller=request.user))
    return render(request, "platform/stores.html", {"memberships": memberships})


@member_page
@never_cache
def continue_view(request):
    """Where a signed-in seller goes: their one store's console, Create your store, or the list."""
    memberships = list(membership_list(seller=request.user)[:2])
    if not memberships:
        return redirect("platform-store-create")
    if len(memberships) == 1:
        return redirect(handoff_url(seller=request.user, store=memberships[0].store))
    return redirect("platform-stores")


@method_decorator([member_page, never_cache], name="dispatch")
class StoreCreateView(View):
    template_name = "platform/store_create.html"

    def get(self, request):
        return render(request, self.template_name, {"form": StoreCreateForm()})

    def post(self, request):
        form = StoreCreateForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            throttles_check(request, STORE_CREATE_THROTTLES)
            store = store_create(owner=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.show(error)
            return page_error(render(request, self.template_name, {"form": form}), error)
        # Straight into the new store's console, signed in there.
        return redirect(handoff_url(seller=request.user, store=store))


@require_GET
@member_page
@never_cache
def store_open_view(request, store_id: int):
    """Open console: members only; anyone else learns nothing about the store."""
    membership = seller_membership(seller=request.user, store_id=store_id)
    if membership is None:
        return render(request, "platform/store_not_found.html", status=404)
    return redirect(handoff_url(seller=request.user, store=membership.store))
