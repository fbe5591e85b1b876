from django.contrib import admin

from tenants.admin_site import StoreModelAdmin, store_admin_site

from .models import Cart, CartLine, Customer, Order, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["product", "name", "unit_price", "mrp", "quantity", "line_total"]
    fields = readonly_fields


class OrderAdmin(StoreModelAdmin):
    list_display = ["number", "status", "total", "customer", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "customer__mobile"]
    inlines = [OrderLineInline]
    # Totals and lines come from placement; the status moves through the API's transitions.
    readonly_fields = ["number", "customer", "cart", "total", "idempotency_key", "created_at"]


class CustomerAdmin(StoreModelAdmin):
    list_display = ["mobile", "name", "created_at", "last_login_at"]
    search_fields = ["mobile", "name"]


class CartLineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    readonly_fields = ["product", "name", "unit_price", "quantity"]
    fields = readonly_fields


class CartAdmin(StoreModelAdmin):
    list_display = ["id", "status", "created_at", "last_activity_at"]
    list_filter = ["status"]
    exclude = ["token_hash"]  # the hash of the buyer's credential: nothing to show
    inlines = [CartLineInline]


store_admin_site.register(Order, OrderAdmin)
store_admin_site.register(Customer, CustomerAdmin)
store_admin_site.register(Cart, CartAdmin)
