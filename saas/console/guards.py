"""Guards of console pages: members only, in the store's timezone; some pages owners only."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saas.access.membership import request_membership
from saas.access.timezone import current_store_timezone
from saas.access.views import store_member_required
from shared_apps.accounts.models import StoreMembership


def console_page(view):
    """A page of the console: members of this store only; times shown in the store's zone."""

    @store_member_required
    @wraps(view)
    def page(request, *args, **kwargs):
        with timezone.override(current_store_timezone()):
            return view(request, *args, **kwargs)

    return page


def owner_only(request) -> None:
    """Refuse a staff member what only the store's owners may change (team, jobs, tokens)."""
    membership = request_membership(request)
    if membership is None or membership.role != StoreMembership.Role.OWNER:
        raise PermissionDenied("Only the store's owners can change this.")
