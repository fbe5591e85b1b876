from rest_framework.permissions import SAFE_METHODS, BasePermission

from saas.access.membership import request_is_platform, request_membership
from shared_apps.accounts.models import Seller, StoreMembership

from .errors import ApplicationError, ErrorCode


class AccessErrorCode(ErrorCode):
    # A staff member asking for what only the store's owners may change.
    OWNER_REQUIRED = ("owner_required", 403)


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


class IsStoreOwnerToChange(IsStoreMember):
    """Members read; only the store's owners change (team, schedules, tokens, the profile).

    A staff member's change is `403 owner_required`, so a client can tell it from "not a member".
    """

    members_read = True

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request_is_platform(request) or (self.members_read and request.method in SAFE_METHODS):
            return True
        if request_membership(request).role != StoreMembership.Role.OWNER:
            raise ApplicationError(
                "Only the store's owners can change this.", code=AccessErrorCode.OWNER_REQUIRED
            )
        return True


class IsStoreOwner(IsStoreOwnerToChange):
    """Owners only, reads too (the team's mobiles are not for every member to read)."""

    members_read = False
