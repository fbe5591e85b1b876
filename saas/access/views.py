"""The guard of member-only HTML pages on a store host."""

from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect

from .membership import request_is_platform, request_membership


def store_member_required(view):
    """Members of this store pass; anonymous callers go to /login; other sellers get 403.

    On the platform host there is no store to be a member of: 403 with where to go instead.
    """

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request_is_platform(request):
            raise PermissionDenied("Open this page on your store's address.")
        if request_membership(request) is not None:
            return view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"/login?{query}")
        raise PermissionDenied("You are not a member of this store.")

    return guarded
