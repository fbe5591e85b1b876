from django.conf import settings
from rest_framework.permissions import BasePermission

from shared_apps.accounts.models import Seller, StoreMembership


def request_is_platform(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME


def store_membership_for_request(request) -> StoreMembership | None:
    """The caller's membership in the store of this host (cached on the request)."""
    if not hasattr(request, "_store_membership"):
        user = getattr(request, "user", None)
        membership = None
        if isinstance(user, Seller) and not request_is_platform(request):
            membership = StoreMembership.objects.filter(
                store_id=request.tenant.pk, seller_id=user.pk
            ).first()
        request._store_membership = membership
    return request._store_membership


class IsSeller(BasePermission):
    message = "Sign in as a seller."

    def has_permission(self, request, view):
        return isinstance(request.user, Seller) and request.user.is_active


class IsStoreMember(IsSeller):
    """The default: on a store host only that store's members pass; elsewhere any seller."""

    message = "You are not a member of this store."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request_is_platform(request):
            return True
        return store_membership_for_request(request) is not None


class IsStoreHost(BasePermission):
    """For endpoints open to anyone, but only on a store host."""

    def has_permission(self, request, view):
        return not request_is_platform(request)
