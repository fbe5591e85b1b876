"""The console's Orders and Customers sections: orders by status (new ones marked), an order
with its lines, address, one button per status it may move to, its payment with "Mark as paid"
/ "Mark as refunded" and its notifications; buyers with their orders, and the same person's
conversation clients and widget signups.

Opening an order here marks it seen for the whole store (services.order_mark_seen).

Thin: every read is a selector, every change a service, the same ones the API calls; the
allowed next statuses are the service's (services.order_next_statuses).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from saas.console.guards import console_page

from . import checkout, selectors, services
from .errors import OrdersError
from .models import Order
from .people import customer_people

ORDERS_PER_PAGE = 25
CUSTOMERS_PER_PAGE = 25
# What the button that moves an order to a status says.
STATUS_ACTIONS = {
    Order.Status.ACCEPTED: "Accept order",
    Order.Status.SHIPPED: "Mark as shipped",
    Order.Status.DELIVERED: "Mark as delivered",
    Order.Status.CANCELLED: "Cancel order",
}
STATUS_LABELS = dict(Order.Status.choices)
PAYMENT_ACTIONS = {
    Order.PaymentStatus.PAID: "Mark as paid",
    Order.PaymentStatus.REFUNDED: "Mark as refunded",
}
PAYMENT_LABELS = dict(Order.PaymentStatus.choices)
REFERENCE_MAX_LENGTH = 100


def _order_or_404(order_id: int) -> Order:
    try:
        return selectors.order_get(order_id=order_id)
    except OrdersError as error:
        raise Http404(error.message) from error


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@console_page
def orders_view(request):
    status = request.GET.get("status", "")
    status = status if status in Order.Status.values else ""
    page = Paginator(selectors.order_list(status=status or None), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = selectors.order_status_counts()
    filters = [{"value": "", "label": "All", "count": sum(counts.values())}] + [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in Order.Status.choices
    ]
    context = {
        "page": page,
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
        "filters": filters,
        "query": _query_without_page(request),
        "unseen": selectors.order_unseen_count(),
    }
    return render(request, "console/orders/list.html", context)


def _next_steps(order: Order) -> list[dict]:
    return [
        {"status": status, "action": STATUS_ACTIONS[status], "label": STATUS_LABELS[status]}
        for status in services.order_next_statuses(status=order.status)
    ]


def _payment_steps(order: Order) -> list[dict]:
    allowed = checkout.PAYMENT_TRANSITIONS.get(order.payment_status, set())
    return [
        {"status": status, "action": PAYMENT_ACTIONS[status]}
        for status in (Order.PaymentStatus.PAID, Order.PaymentStatus.REFUNDED)
        if status in allowed
    ]


def _order_context(order: Order) -> dict:
    return {
        "order": order,
        "status_label": STATUS_LABELS[order.status],
        "next_steps": _next_steps(order),
        "payment_label": PAYMENT_LABELS[order.payment_status],
        "payment_steps": _payment_steps(order),
        "notifications": selectors.order_notification_list(order=order),
    }


@require_GET
@console_page
def order_view(request, order_id: int):
    order = services.order_mark_seen(order=_order_or_404(order_id))
    return render(request, "console/orders/detail.html", _order_context(order))


@require_POST
@console_page
def order_payment_view(request, order_id: int):
    order = _order_or_404(order_id)
    status = request.POST.get("status", "")
    reference = request.POST.get("reference", "").strip()
    if len(reference) > REFERENCE_MAX_LENGTH:
        messages.error(
            request, f"The payment reference can be {REFERENCE_MAX_LENGTH} characters at most."
        )
    else:
        try:
            order = checkout.order_payment_record(order=order, status=status, reference=reference)
        except OrdersError:
            order = _order_or_404(order_id)  # someone may have recorded it meanwhile
            current = PAYMENT_LABELS[order.payment_status].lower()
            wanted = PAYMENT_LABELS.get(status, "that").lower()
            messages.error(
                request,
                f"The payment of order #{order.number} is {current}: it cannot become {wanted}.",
            )
        else:
            label = PAYMENT_LABELS[order.payment_status].lower()
            messages.success(request, f"Order #{order.number} is marked as {label}.")
    if request.htmx:
        # The payment card alone, with the message inside it (htmx swaps 2xx answers only).
        return render(
            request, "console/orders/_payment.html", _order_context(_order_or_404(order_id))
        )
    return redirect("console-order", order_id=order.pk)


@require_POST
@console_page
def order_status_view(request, order_id: int):
    order = _order_or_404(order_id)
    status = request.POST.get("status", "")
    try:
        order = services.order_status_set(order=order, status=status)
    except OrdersError:
        order = _order_or_404(order_id)  # someone may have moved it meanwhile
        wanted = STATUS_LABELS.get(status, "that").lower()
        current = STATUS_LABELS[order.status].lower()
        messages.error(request, f"Order #{order.number} is {current}: it cannot become {wanted}.")
    else:
        messages.success(request, f"Order #{order.number} is now {STATUS_LABELS[order.status]}.")
    if request.htmx:
        # The status card alone, with the message inside it (htmx swaps 2xx answers only).
        order = _order_or_404(order_id)
        return render(request, "console/orders/_status.html", _order_context(order))
    return redirect("console-order", order_id=order.pk)


@require_GET
@console_page
def customers_view(request):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.customer_list(search=search), CUSTOMERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    people = customer_people(list(page))
    rows = [{"customer": customer, "person": people[customer.pk]} for customer in page]
    context = {
        "page": page,
        "rows": rows,
        "search": search,
        "query": _query_without_page(request),
    }
    return render(request, "console/customers/list.html", context)


@require_GET
@console_page
def customer_view(request, customer_id: int):
    try:
        customer = selectors.customer_get(customer_id=customer_id)
    except OrdersError as error:
        raise Http404(error.message) from error
    context = {
        "customer": customer,
        "person": customer_people([customer])[customer.pk],
        "orders": selectors.order_list(customer=customer),
    }
    return render(request, "console/customers/detail.html", context)
