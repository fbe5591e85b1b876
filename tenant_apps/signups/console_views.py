"""The console's Signups section: today's signups, the month's count, the CSV, and the widget
sites (add, edit origins, switch off, rotate the key, snippet, live preview, refused origins).

Thin: every read is a selector, every change a service, the same ones the API calls.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saas.console.guards import console_page

from . import selectors, services
from .console_forms import WidgetSiteForm, origins_text
from .errors import SignupsError
from .views import widget_snippet

TODAY_LIST_LIMIT = 200


def _site_or_404(site_id: int):
    try:
        return selectors.widget_site_get(site_id=site_id)
    except SignupsError as error:
        raise Http404(error.message) from error


@require_GET
@console_page
def signups_view(request):
    now = timezone.now()
    today = selectors.signup_list_today(now=now)
    context = {
        "stats": selectors.signup_stats(now=now),
        "month_label": selectors.store_month_label(now=now),
        "today_count": today.count(),
        "today": today[:TODAY_LIST_LIMIT],
        "timezone_name": str(timezone.get_current_timezone()),
    }
    return render(request, "console/signups/index.html", context)


def _site_rows() -> list[dict]:
    return [
        {"site": site, "refused": selectors.widget_origins_refused(site=site).count()}
        for site in selectors.widget_site_list()
    ]


@require_http_methods(["GET", "POST"])
@console_page
def sites_view(request):
    form = WidgetSiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.widget_site_create(
                name=form.cleaned_data["name"], allowed_origins=form.origins()
            )
        except SignupsError as error:
            form.show_error(error)
        else:
            messages.success(request, f"“{site.name}” is added. Put its snippet on your pages.")
            return redirect("console-signup-site", site_id=site.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "console/signups/sites.html", {"rows": _site_rows(), "form": form}, status=status
    )


def _site_context(request, site, form) -> dict:
    return {
        "site": site,
        "form": form,
        "snippet": widget_snippet(store=request.tenant, key=site.key),
        "refused": selectors.widget_origins_refused(site=site),
    }


@require_http_methods(["GET", "POST"])
@console_page
def site_view(request, site_id: int):
    site = _site_or_404(site_id)
    initial = {"name": site.name, "allowed_origins": origins_text(site.allowed_origins)}
    form = WidgetSiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.widget_site_update(
                site=site, name=form.cleaned_data["name"], allowed_origins=form.origins()
            )
        except SignupsError as error:
            form.show_error(error)
        else:
            messages.success(request, f"“{site.name}” is saved.")
            return redirect("console-signup-site", site_id=site.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "console/signups/site.html", _site_context(request, site, form), status=status
    )


@require_POST
@console_page
def site_switch_view(request, site_id: int):
    site = _site_or_404(site_id)
    switch_on = request.POST.get("is_active") == "on"
    site = services.widget_site_update(site=site, is_active=switch_on)
    if site.is_active:
        messages.success(request, f"The widget of “{site.name}” is on again.")
    else:
        messages.success(request, f"The widget of “{site.name}” is off: it takes no signups.")
    return redirect("console-signup-site", site_id=site.pk)


@require_POST
@console_page
def site_rotate_key_view(request, site_id: int):
    site = services.widget_site_key_rotate(site=_site_or_404(site_id))
    messages.success(
        request, "The site has a new key. Put the new snippet on your pages: the old one is off."
    )
    return redirect("console-signup-site", site_id=site.pk)


@require_POST
@console_page
def refused_origin_allow_view(request, site_id: int, refused_id: int):
    site = _site_or_404(site_id)
    try:
        site = services.widget_origin_allow(site=site, refused_id=refused_id)
    except SignupsError as error:
        messages.error(request, _allow_refusal_words(error))
    else:
        messages.success(request, f"{site.allowed_origins[-1]} may now use the widget.")
    return redirect("console-signup-site", site_id=site.pk)


def _allow_refusal_words(error: SignupsError) -> str:
    if error.code == "too_many_origins":
        return (
            f"This website already allows {services.MAX_ALLOWED_ORIGINS} addresses: "
            "remove one before allowing another."
        )
    return "That address is no longer in the list of refused ones."


@require_GET
@xframe_options_sameorigin
@console_page
def site_preview_view(request, site_id: int):
    """The page the live preview's frame shows: the real widget script, served by us, on the
    store's own host, with a preview token (checked like a visitor's signup, never kept)."""
    site = _site_or_404(site_id)
    context = {
        "site": site,
        "script_url": request.build_absolute_uri(reverse("widget-script")),
        "endpoint": request.build_absolute_uri("/api/widget/signups"),
        "preview_token": services.widget_preview_token(site=site),
    }
    return render(request, "console/signups/preview.html", context)
