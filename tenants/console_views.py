"""Console pages of the store itself: profile, team, periodic jobs and tokens."""

from django.shortcuts import render

from saas.console.guards import console_page


@console_page
def settings_view(request):
    return render(request, "console/settings/index.html", {"store": request.tenant})
