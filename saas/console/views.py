"""The console's own pages: the Overview, and the end of the sign-in hand-off."""

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from saas.access.handoff import handoff_redeem
from saas.tools import registered_tools

from .guards import console_page


@console_page
def overview_view(request):
    cards = [card for tool in registered_tools() for card in tool.console_overview(request)]
    steps = [step for tool in registered_tools() for step in tool.console_checklist(request)]
    context = {
        "cards": cards,
        # The checklist of a new store, until every step is done.
        "checklist": steps if not all(step.done for step in steps) else [],
    }
    return render(request, "console/overview.html", context)


@require_GET
def handoff_view(request):
    """Redeem the platform's hand-off token: a session on this store host, then the console."""
    seller = handoff_redeem(token=request.GET.get("token", ""), store=request.tenant)
    if seller is None:
        return render(request, "console/handoff_failed.html", status=400)
    login(request, seller, backend="django.contrib.auth.backends.ModelBackend")
    next_path = request.GET.get("next") or "/console/"
    if not next_path.startswith("/") or not url_has_allowed_host_and_scheme(
        next_path, allowed_hosts={request.get_host()}
    ):
        next_path = "/console/"
    return redirect(next_path)
