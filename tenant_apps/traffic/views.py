"""Traffic charts, no login: the key in the URL says whose repositories to show.

The key is a read-only share link of this store (tenant_apps/traffic/sharing.py) or, as the
original contract has it, the seller's API token. Either way it is a secret: pages are never
cached and send no Referer, and their own links are relative, so the page never writes the key
into its HTML (the access logs of gunicorn and nginx write `/users/<redacted>/…`).
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import DateRangeError
from .selectors import (
    DateRange,
    date_range_parse,
    path_top,
    referrer_top,
    repository_find,
    repository_list,
    seller_find_by_token,
    traffic_day_list,
    traffic_totals,
)
from .sharing import share_token_seller


def _error_page(request, *, status: int, title: str, message: str):
    return render(
        request, "traffic/error.html", {"title": title, "message": message}, status=status
    )


def _chart_seller(request, key: str):
    """The seller a chart link's key names in this store: a share link's, or an API token's."""
    store_id = request.tenant.pk
    return share_token_seller(key=key, store_id=store_id) or seller_find_by_token(
        key=key, store_id=store_id
    )


def _not_found(request):
    return _error_page(
        request,
        status=404,
        title="Not found",
        message="There is no such page: check the link (it may have been revoked).",
    )


def _period_or_error(request):
    try:
        return date_range_parse(start=request.GET.get("start"), end=request.GET.get("end")), None
    except DateRangeError as error:
        return None, _error_page(request, status=400, title="Invalid dates", message=error.message)


def _chart_data(days) -> dict:
    days = list(days)
    return {
        "labels": [day.date.isoformat() for day in days],
        "views": [day.views for day in days],
        "unique_views": [day.unique_views for day in days],
        "clones": [day.clones for day in days],
        "unique_clones": [day.unique_clones for day in days],
    }


def _period_query(period: DateRange) -> str:
    parts = []
    if period.start:
        parts.append(f"start={period.start.isoformat()}")
    if period.end:
        parts.append(f"end={period.end.isoformat()}")
    return ("?" + "&".join(parts)) if parts else ""


@never_cache
@require_GET
def user_repository_list_view(request, user_token: str):
    seller = _chart_seller(request, user_token)
    if seller is None:
        return _not_found(request)
    period, error_page = _period_or_error(request)
    if error_page:
        return error_page
    repositories = [
        {
            "repository": repository,
            "chart": _chart_data(traffic_day_list(repository=repository, period=period)),
            "chart_data_id": f"chart-data-{repository.id}",
            "totals": traffic_totals(repository=repository, period=period),
        }
        for repository in repository_list(seller=seller)
    ]
    return render(
        request,
        "traffic/repository_list.html",
        {
            "period": period,
            "period_query": _period_query(period),
            "repositories": repositories,
        },
    )


@never_cache
@require_GET
def user_repository_detail_view(request, user_token: str, repository_id: str):
    seller = _chart_seller(request, user_token)
    repository = seller and repository_find(seller=seller, repository_id=repository_id)
    if not repository:
        return _not_found(request)
    period, error_page = _period_or_error(request)
    if error_page:
        return error_page
    referrers_date, referrers = referrer_top(repository=repository, period=period)
    paths_date, paths = path_top(repository=repository, period=period)
    return render(
        request,
        "traffic/repository_detail.html",
        {
            "period": period,
            "period_query": _period_query(period),
            "repository": repository,
            "chart": _chart_data(traffic_day_list(repository=repository, period=period)),
            "totals": traffic_totals(repository=repository, period=period),
            "referrers": referrers,
            "referrers_date": referrers_date,
            "paths": paths,
            "paths_date": paths_date,
        },
    )
