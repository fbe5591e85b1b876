"""Console pages of discount codes, inside Orders (/console/orders/discounts/): the list, a new
code, editing one and deactivating it. Thin: the same selectors and services as
/api/discounts. Every member of the store manages codes, as with the API."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from saas.console.guards import console_page

from .console_discount_forms import DiscountEditForm, DiscountForm, discount_initial
from .discount_selectors import discount_get, discount_list, discount_state
from .discounts import discount_create, discount_update
from .errors import OrdersError
from .models import DiscountCode

PAGE_SIZE = 50


def _discount(discount_id: int) -> DiscountCode:
    try:
        return discount_get(discount_id=discount_id)  # the API's lookup, a page's 404
    except OrdersError as error:
        raise Http404(error.message) from None


@console_page
def discount_list_view(request):
    page = Paginator(discount_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(discount, discount_state(discount)) for discount in page.object_list]
    return render(request, "console/orders/discounts/list.html", {"page": page, "rows": rows})


@console_page
@require_http_methods(["GET", "POST"])
def discount_new_view(request):
    form = DiscountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        discount = form.run(discount_create, **form.cleaned_data)
        if discount:
            messages.success(request, f"Discount code {discount.code} created.")
            return redirect("console-discounts")
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": "New discount code"}
    return render(request, "console/orders/discounts/form.html", context, status=status)


@console_page
@require_http_methods(["GET", "POST"])
def discount_edit_view(request, discount_id: int):
    discount = _discount(discount_id)
    form = DiscountEditForm(request.POST or None, initial=discount_initial(discount))
    if request.method == "POST" and form.is_valid():
        saved = form.run(discount_update, discount=discount, **form.cleaned_data)
        if saved:
            messages.success(request, f"Discount code {saved.code} saved.")
            return redirect("console-discounts")
    context = {"form": form, "discount": discount, "state": discount_state(discount),
               "title": f"Discount code {discount.code}"}  # fmt: skip
    status = 400 if form.is_bound else 200
    return render(request, "console/orders/discounts/form.html", context, status=status)


@console_page
@require_POST
def discount_deactivate_view(request, discount_id: int):
    discount = _discount(discount_id)
    try:
        discount_update(discount=discount, is_active=False)
    except OrdersError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Discount code {discount.code} deactivated: buyers can no "
                         "longer use it.")  # fmt: skip
    return redirect("console-discounts")
