from django.contrib import admin

from saas.access.membership import request_membership
from tenants.admin_site import StoreModelAdmin, store_admin_site

from .models import Chat, Client, Conversation, DiscountCode, Operator


class StoreInlineMixin:
    """Inlines follow the same rule as StoreModelAdmin: members of the store, nobody else."""

    def has_view_permission(self, request, obj=None):
        return request_membership(request) is not None

    def has_add_permission(self, request, obj=None):
        return request_membership(request) is not None

    def has_change_permission(self, request, obj=None):
        return request_membership(request) is not None

    def has_delete_permission(self, request, obj=None):
        return request_membership(request) is not None


class DiscountCodeInline(StoreInlineMixin, admin.TabularInline):
    """The client's codes; they are made with the API (or the demo data), which makes the
    store code they stand for (the code and its value are edited in the console's Discounts)."""

    model = DiscountCode
    extra = 0
    fields = ["discount", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ClientAdmin(StoreModelAdmin):
    list_display = ["name", "email", "timezone", "mobile", "created_at", "unsubscribed_at"]
    search_fields = ["name", "email", "mobile"]
    # Only the client's own unsubscribe link sets it; nobody in the store may undo it.
    readonly_fields = ["unsubscribed_at"]
    inlines = [DiscountCodeInline]


class OperatorAdmin(StoreModelAdmin):
    list_display = ["name", "email", "seller_id", "created_at"]
    search_fields = ["name", "email"]
    readonly_fields = ["seller"]


class DiscountCodeAdmin(StoreModelAdmin):
    list_display = ["discount", "client", "created_at"]
    list_filter = ["discount__is_active"]
    search_fields = ["discount__code", "client__name"]
    list_select_related = ["discount", "client"]
    readonly_fields = ["client", "discount", "created_at"]

    def has_add_permission(self, request):
        return False


class ChatInline(StoreInlineMixin, admin.TabularInline):
    model = Chat
    extra = 0
    fields = ["author", "rendered", "status", "scheduled_for", "sent_at", "attempts"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConversationAdmin(StoreModelAdmin):
    list_display = ["id", "client", "operator", "status", "created_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["client__name", "client__email", "operator__name"]
    inlines = [ChatInline]


class ChatAdmin(StoreModelAdmin):
    list_display = [
        "id", "conversation", "author_kind", "status", "held", "scheduled_for", "sent_at",
        "attempts",
    ]  # fmt: skip
    list_filter = ["status", "author_kind"]
    search_fields = ["rendered"]
    # Sending state is the dispatcher's business; editing it by hand could send twice.
    readonly_fields = [
        "conversation", "author", "author_kind", "payload", "rendered", "status", "created_at",
        "scheduled_for", "next_attempt_at", "claimed_at", "sent_at", "attempts", "last_error",
        "held",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


store_admin_site.register(Client, ClientAdmin)
store_admin_site.register(Operator, OperatorAdmin)
store_admin_site.register(DiscountCode, DiscountCodeAdmin)
store_admin_site.register(Conversation, ConversationAdmin)
store_admin_site.register(Chat, ChatAdmin)
