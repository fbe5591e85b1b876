"""Console page of abandoned carts, inside Orders (/console/orders/abandoned/): the same
selector as `GET /api/carts/abandoned`, for every member of the store."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saas.console.guards import console_page

from .abandoned import abandoned_cart_list, abandoned_cart_summaries, abandoned_idle_minutes

PAGE_SIZE = 50


def idle_in_words(minutes: int) -> str:
    """ "1 hour", "90 minutes", "2 hours": how long a cart waits before it counts."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


@console_page
@require_GET
def abandoned_cart_list_view(request):
    page = Paginator(abandoned_cart_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "carts": abandoned_cart_summaries(page.object_list),
        "idle": idle_in_words(abandoned_idle_minutes()),
    }
    return render(request, "console/abandoned/list.html", context)
