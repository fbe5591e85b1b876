"""The console's Products section: the list (search, category, pagination), add and edit a
product (image with preview), archive and restore, the categories with their counts.

Thin: every read is a selector, every change a service, the same ones the API calls.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saas.console.guards import console_page

from . import selectors, services
from .console_forms import ProductForm
from .errors import CatalogError
from .images import image_absolute_url

PRODUCTS_PER_PAGE = 25
SHOW_CHOICES = {"all": None, "active": True, "archived": False}


def _product_or_404(product_id: int):
    try:
        return selectors.product_get(product_id=product_id)
    except CatalogError as error:
        raise Http404(error.message) from error


def _category_id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@require_GET
@console_page
def products_view(request):
    search = request.GET.get("q", "").strip()[:100]
    category_id = _category_id(request.GET.get("category", ""))
    show = request.GET.get("show", "all")
    show = show if show in SHOW_CHOICES else "all"
    products = selectors.product_list(
        category_id=category_id, is_active=SHOW_CHOICES[show], search=search
    )
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"product": product, "image": image_absolute_url(request, product.image.name)}
        for product in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "categories": selectors.category_list(),
        "search": search,
        "category_id": category_id,
        "show": show,
        "query": query.urlencode(),
        "filtered": bool(search or category_id or show != "all"),
    }
    return render(request, "console/products/list.html", context)


def _form_context(request, form, product=None) -> dict:
    return {
        "form": form,
        "product": product,
        "image": image_absolute_url(request, product.image.name) if product else None,
        "category_names": [category.name for category in selectors.category_list()],
    }


@require_http_methods(["GET", "POST"])
@console_page
def product_new_view(request):
    form = ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(**form.service_arguments())
        except CatalogError as error:
            form.show_error(error)
        else:
            messages.success(request, f"“{product.name}” is added to your shop.")
            return redirect("console-products")
    status = 400 if form.is_bound else 200
    return render(
        request, "console/products/form.html", _form_context(request, form), status=status
    )


def _initial(product) -> dict:
    return {
        "name": product.name,
        "description": product.description,
        "category": product.category.name,
        "mrp": product.mrp,
        "sale_price": product.sale_price,
        "is_active": product.is_active,
        "stock": product.stock,
    }


@require_http_methods(["GET", "POST"])
@console_page
def product_edit_view(request, product_id: int):
    product = _product_or_404(product_id)
    form = ProductForm(request.POST or None, request.FILES or None, initial=_initial(product))
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_update(product=product, **form.service_arguments())
        except CatalogError as error:
            form.show_error(error)
        else:
            messages.success(request, f"“{product.name}” is saved.")
            return redirect("console-product", product_id=product.pk)
    status = 400 if form.is_bound else 200
    context = _form_context(request, form, product)
    return render(request, "console/products/form.html", context, status=status)


@require_POST
@console_page
def product_archive_view(request, product_id: int):
    product = _product_or_404(product_id)
    archive = request.POST.get("archive") != "0"
    product = services.product_update(product=product, is_active=not archive)
    if archive:
        messages.success(request, f"“{product.name}” is archived: buyers no longer see it.")
    else:
        messages.success(request, f"“{product.name}” is back in your shop.")
    if request.POST.get("next") == "list":
        return redirect("console-products")
    return redirect("console-product", product_id=product.pk)


@require_GET
@console_page
def categories_view(request):
    return render(
        request, "console/products/categories.html", {"categories": selectors.category_list()}
    )
