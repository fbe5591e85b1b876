"""The Traffic console pages: the seller's repositories with their charts, the store's GitHub
token (write-only) and the seller's share links. The same services and selectors as
/api/repos, /api/traffic/github-token and /api/traffic/share-tokens.

No page or link here carries a key: a share link's key is shown once, right after it is made,
and the seller's API token appears nowhere.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saas.console.guards import console_page
from tenants.console_forms import service_call
from tenants.console_nav import key_show_once, key_shown

from .console_forms import GithubTokenForm, RepositoryAddForm, ShareLinkForm
from .errors import DateRangeError
from .selectors import (
    DateRange,
    date_range_parse,
    github_token_state,
    path_top,
    referrer_top,
    repository_find,
    repository_list,
    traffic_day_list,
    traffic_totals,
)
from .services import (
    github_token_clear,
    github_token_set,
    repository_create,
    repository_delete,
    repository_refresh_request,
)
from .sharing import share_token_create, share_token_list, share_token_revoke, share_token_url


def _period(request) -> tuple[DateRange, str | None]:
    """The date filter of the page, or every day with the reason the dates were refused."""
    try:
        return date_range_parse(start=request.GET.get("start"), end=request.GET.get("end")), None
    except DateRangeError as error:
        return DateRange(), error.message


def _chart(repository, period: DateRange) -> dict:
    days = list(traffic_day_list(repository=repository, period=period))
    return {
        "labels": [day.date.isoformat() for day in days],
        "views": [day.views for day in days],
        "unique_views": [day.unique_views for day in days],
        "clones": [day.clones for day in days],
        "unique_clones": [day.unique_clones for day in days],
    }


def _repository(request, repository_id: str):
    repository = repository_find(seller=request.user, repository_id=repository_id)
    if repository is None:
        raise Http404("You follow no such repository.")
    return repository


def _index(request, *, add_form=None, token_form=None, share_form=None, status=200):
    period, period_error = _period(request)
    repositories = [
        {
            "repository": repository,
            "chart": _chart(repository, period),
            "chart_id": f"chart-data-{repository.id}",
            "totals": traffic_totals(repository=repository, period=period),
        }
        for repository in repository_list(seller=request.user)
    ]
    context = {
        "period": period,
        "period_error": period_error,
        "repositories": repositories,
        "add_form": add_form or RepositoryAddForm(),
        "token_state": github_token_state(),
        "token_form": token_form or GithubTokenForm(),
        "share_form": share_form or ShareLinkForm(),
        "share_links": share_token_list(seller=request.user),
        "new_link": key_shown(request),
    }
    return render(
        request, "console/traffic/index.html", context, status=400 if period_error else status
    )


@console_page
@require_GET
def traffic_view(request):
    return _index(request)


@console_page
@require_POST
def repository_add_view(request):
    form = RepositoryAddForm(request.POST)
    if form.is_valid():
        repository = form.run(repository_create, seller=request.user, url=form.cleaned_data["url"])
        if repository:
            messages.success(
                request, f"Following {repository.full_name}: its traffic is being fetched now."
            )
            return redirect("console-traffic")
    return _index(request, add_form=form, status=400)


@console_page
@require_POST
def repository_refresh_view(request, repository_id: str):
    repository = _repository(request, repository_id)
    _, refused = service_call(
        repository_refresh_request, seller=request.user, repository_id=str(repository.id)
    )
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, f"Fetching {repository.full_name} from GitHub now.")
    if request.POST.get("next") == "detail":
        return redirect("console-traffic-repository", repository_id=repository.id)
    return redirect("console-traffic")


@console_page
@require_POST
def repository_delete_view(request, repository_id: str):
    repository = _repository(request, repository_id)
    _, refused = service_call(
        repository_delete, seller=request.user, repository_id=str(repository.id)
    )
    if refused:
        messages.error(request, refused)
    else:
        messages.success(
            request, f"Stopped following {repository.full_name}; its history is deleted."
        )
    return redirect("console-traffic")


@console_page
@require_http_methods(["GET"])
def repository_detail_view(request, repository_id: str):
    repository = _repository(request, repository_id)
    period, period_error = _period(request)
    referrers_date, referrers = referrer_top(repository=repository, period=period)
    paths_date, paths = path_top(repository=repository, period=period)
    context = {
        "repository": repository,
        "period": period,
        "period_error": period_error,
        "chart": _chart(repository, period),
        "totals": traffic_totals(repository=repository, period=period),
        "referrers": referrers,
        "referrers_date": referrers_date,
        "paths": paths,
        "paths_date": paths_date,
    }
    status = 400 if period_error else 200
    return render(request, "console/traffic/detail.html", context, status=status)


@console_page
@require_POST
def github_token_view(request):
    form = GithubTokenForm(request.POST)
    if form.is_valid() and form.run(
        github_token_set, seller=request.user, token=form.cleaned_data["token"]
    ):
        messages.success(request, "GitHub token saved. The next fetch uses it.")
        return redirect("console-traffic")
    return _index(request, token_form=form, status=400)


@console_page
@require_POST
def github_token_clear_view(request):
    github_token_clear()
    messages.success(request, "GitHub token removed: fetches stop until a token is set again.")
    return redirect("console-traffic")


@console_page
@require_POST
def share_link_create_view(request):
    form = ShareLinkForm(request.POST)
    created = form.is_valid() and form.run(
        share_token_create, seller=request.user, name=form.cleaned_data["name"]
    )
    if created:
        token, key = created
        url = share_token_url(store_link=request.tenant.link, key=key)
        key_show_once(request, name=token.name, key=url)
        messages.success(request, f"Share link “{token.name}” created.")
        return redirect(reverse("console-traffic") + "#share-links")
    return _index(request, share_form=form, status=400)


@console_page
@require_POST
def share_link_revoke_view(request, token_id: int):
    _, refused = service_call(share_token_revoke, seller=request.user, token_id=token_id)
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, "Share link revoked: it no longer opens anything.")
    return redirect(reverse("console-traffic") + "#share-links")
