import hashlib

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe
from django.views import View

from saas.access.membership import request_is_platform

from .cache import Rendered, etag_for, etag_matches, rendered
from .errors import CatalogError
from .images import image_base_url
from .selectors import (
    STOREFRONT_CATEGORY_PAGE,
    STOREFRONT_FIRST_PRODUCTS,
    storefront_category,
    storefront_category_row,
    storefront_front_rows,
)

# What a cached catalogue part is rendered from: a deploy that changes one renders anew.
FRAGMENT_TEMPLATES = (
    "storefront/_front.html",
    "storefront/_category.html",
    "storefront/_product.html",
)


class StoreHostRequiredMixin:
    """A page that exists only on a store host: 404 on the platform host."""

    def dispatch(self, request, *args, **kwargs):
        if request_is_platform(request):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _templates_fingerprint() -> str:
    sources = "".join(get_template(name).template.source for name in FRAGMENT_TEMPLATES)
    return hashlib.md5(sources.encode(), usedforsecurity=False).hexdigest()[:12]


def _shop_page(request, part: Rendered, **context) -> HttpResponse:
    """The shop page (storefront/index.html, whose script runs the cart and checkout) around a
    cached catalogue part; 304 when the buyer's copy is this one.

    The page around the part is rendered on each request (the store's name, the static files of
    this deploy), so the ETag is taken over the whole page, with the catalogue's version in it.
    """
    body = render_to_string(
        "storefront/shop.html",
        {"store": request.tenant, "catalogue": mark_safe(part.body.decode()), **context},
        request=request,
    ).encode()
    etag = etag_for(part.version, body)
    if etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    # Kept by the browser, but asked again each time: a change shows on the next visit.
    response["Cache-Control"] = "no-cache"
    return response


class StorefrontView(StoreHostRequiredMixin, View):
    """The store link: the shop page buyers open. Each category with its first products and a
    "Show all" link to its own page; cart, sign-in and checkout run in the page against the
    buyer APIs. The catalogue is rendered on the server so it shows at once."""

    def get(self, request):
        store, base_url = request.tenant, image_base_url(request)

        def render_part() -> bytes:
            rows = storefront_front_rows(image_base_url=base_url, first=STOREFRONT_FIRST_PRODUCTS)
            context = {"store": store, "categories": rows}
            return render_to_string("storefront/_front.html", context).encode()

        part = rendered(
            name="front-html",
            variant=(base_url, store.currency, _templates_fingerprint()),
            render=render_part,
        )
        return _shop_page(request, part)


def page_number(raw: str | None) -> int | None:
    """`?page=` as a whole number from 1, None when it is anything else."""
    if raw is None:
        return 1
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6 else None


class StorefrontCategoryView(StoreHostRequiredMixin, View):
    """One category's page ("Show all" on the shop page): all its products, a page at a time,
    in the same shop page so the cart works unchanged."""

    def get(self, request, category_id: int):
        store, base_url = request.tenant, image_base_url(request)
        page = page_number(request.GET.get("page"))

        def render_part() -> bytes:
            found = storefront_category(
                category_id=category_id, page=page, per_page=STOREFRONT_CATEGORY_PAGE
            )
            context = {
                "store": store,
                "category": storefront_category_row(found.category, image_base_url=base_url),
                "page": found.page,
                "pages": found.pages,
            }
            return render_to_string("storefront/_category.html", context).encode()

        try:
            if page is None:
                raise Http404
            part = rendered(
                name="category-html",
                variant=(category_id, page, base_url, store.currency, _templates_fingerprint()),
                render=render_part,
            )
        except (CatalogError, Http404):
            return render(
                request,
                "error.html",
                {
                    "title": "Not found",
                    "message": "This store sells nothing under that link now: "
                    "go back to the shop to see what it has.",
                },
                status=404,
            )
        return _shop_page(request, part, page_title=_category_name(part))


def _category_name(part: Rendered) -> str:
    """The category's name for the page title, read from the rendered part's heading."""
    body = part.body.decode()
    start = body.find('data-category-name="')
    if start < 0:
        return ""
    start += len('data-category-name="')
    return mark_safe(body[start : body.find('"', start)])  # already escaped by the template
