from django import forms
from django.contrib import admin
from django.utils import timezone

from saas.access.membership import request_membership
from saas.access.timezone import current_store_timezone
from tenants.admin_site import StoreModelAdmin, store_admin_site

from .errors import OrdersError
from .models import Cart, CartLine, Customer, Order, OrderLine, OrderNotification
from .services import order_next_statuses, order_status_set


class StoreTimezoneAdminMixin:
    """Pages of this admin show times in the store's timezone, as the console does."""

    def changelist_view(self, request, extra_context=None):
        with timezone.override(current_store_timezone()):
            return _rendered(super().changelist_view(request, extra_context))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(current_store_timezone()):
            return _rendered(super().changeform_view(request, object_id, form_url, extra_context))


def _rendered(response):
    # A TemplateResponse renders after the view returns, outside the override: render now.
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


class StoreReadOnlyInline(admin.TabularInline):
    """Lines as they were made: shown to the store's members, never edited, added or removed.
    (An inline asks Django's model permissions by default, which sellers do not hold.)"""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request_membership(request) is not None  # as StoreModelAdmin decides

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(StoreReadOnlyInline):
    model = OrderLine
    readonly_fields = ["product", "name", "unit_price", "mrp", "quantity", "line_total"]
    fields = readonly_fields


class OrderNotificationInline(StoreReadOnlyInline):
    """The order's outbox: every message, its attempts, last error and times (read only)."""

    model = OrderNotification
    readonly_fields = [
        "event",
        "channel",
        "audience",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    fields = readonly_fields


class OrderStatusForm(forms.ModelForm):
    """The status moves only as the API allows (services.order_next_statuses); the change
    itself goes through order_status_set, under the order's row lock."""

    class Meta:
        model = Order
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        allowed = [current, *order_next_statuses(status=current)]
        labels = dict(Order.Status.choices)
        self.fields["status"].choices = [(status, labels[status]) for status in allowed]
        self.fields["status"].help_text = (
            "Only the next steps of this order are offered (placed → accepted → shipped → "
            "delivered; placed or accepted orders can be cancelled)."
        )


class OrderAdmin(StoreTimezoneAdminMixin, StoreModelAdmin):
    form = OrderStatusForm
    list_display = ["number", "status", "total", "customer", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "customer__mobile"]
    inlines = [OrderLineInline, OrderNotificationInline]
    # Everything comes from placement; only the status moves, through the API's transitions.
    readonly_fields = [
        "number",
        "customer",
        "total",
        "address_line1",
        "address_line2",
        "address_city",
        "address_pincode",
        "address_phone",
        "note",
        "email",
        "created_at",
        "status_changed_at",
        "seen_at",
    ]
    fields = ["number", "status", *readonly_fields[1:]]

    def has_add_permission(self, request):
        return False  # orders are placed by buyers

    def has_delete_permission(self, request, obj=None):
        return False  # an order is cancelled, never deleted

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data:
            return
        try:
            order_status_set(order=obj, status=form.cleaned_data["status"])
        except OrdersError as error:  # moved by someone else since the page was opened
            self.message_user(request, error.message, level="error")


class CustomerAdmin(StoreTimezoneAdminMixin, StoreModelAdmin):
    list_display = ["mobile", "name", "created_at", "last_login_at"]
    search_fields = ["mobile", "name"]


class CartLineInline(StoreReadOnlyInline):
    model = CartLine
    readonly_fields = ["product", "name", "unit_price", "quantity"]
    fields = readonly_fields


class CartAdmin(StoreTimezoneAdminMixin, StoreModelAdmin):
    list_display = ["id", "status", "created_at", "last_activity_at"]
    list_filter = ["status"]
    exclude = ["token_hash"]  # the hash of the buyer's credential: nothing to show
    inlines = [CartLineInline]


store_admin_site.register(Order, OrderAdmin)
store_admin_site.register(Customer, CustomerAdmin)
store_admin_site.register(Cart, CartAdmin)
