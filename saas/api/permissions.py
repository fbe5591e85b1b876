from rest_framework.permissions import BasePermission

from saas.access.membership import request_is_platform, request_membership
from shared_apps.accounts.models import Seller


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
        return request_membership(request) is not None


class IsStoreHost(BasePermission):
    """For endpoints open to anyone, but only on a store host."""

    def has_permission(self, request, view):
        return not request_is_platform(request)
