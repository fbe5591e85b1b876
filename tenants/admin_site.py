"""The store admin at <store host>/admin/: members only, this store's data only.

Tool apps register their models here with `store_admin_site.register(Model, StoreModelAdmin)`.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect

from saas.access.membership import request_membership as request_store_membership
from shared_apps.accounts.models import StoreMembership


class StoreAdminSite(admin.AdminSite):
    site_header = "Store admin"
    site_title = "Store admin"
    index_title = "Your store"

    def each_context(self, request):
        context = super().each_context(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None:
            context["site_header"] = f"{tenant.name} — store admin"
        return context

    def has_permission(self, request):
        return request_store_membership(request) is not None

    def login(self, request, extra_context=None):
        # Sellers sign in with mobile + OTP on this host; the admin has no password form.
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied("You are not a member of this store.")
        next_url = request.GET.get("next") or "/admin/"
        return HttpResponseRedirect(f"/login?{urlencode({'next': next_url})}")


store_admin_site = StoreAdminSite(name="store_admin")


class StoreModelAdmin(admin.ModelAdmin):
    """Every member of the store may view and edit its data; nothing else decides."""

    def has_module_permission(self, request):
        return request_store_membership(request) is not None

    def has_view_permission(self, request, obj=None):
        return request_store_membership(request) is not None

    def has_add_permission(self, request):
        return request_store_membership(request) is not None

    def has_change_permission(self, request, obj=None):
        return request_store_membership(request) is not None

    def has_delete_permission(self, request, obj=None):
        return request_store_membership(request) is not None


def request_is_store_owner(request) -> bool:
    membership = request_store_membership(request)
    return membership is not None and membership.role == StoreMembership.Role.OWNER


class StoreOwnerModelAdmin(StoreModelAdmin):
    """What only the store's owners change (its jobs, its tokens): staff may look, not touch."""

    def has_add_permission(self, request):
        return request_is_store_owner(request)

    def has_change_permission(self, request, obj=None):
        return request_is_store_owner(request)

    def has_delete_permission(self, request, obj=None):
        return request_is_store_owner(request)
