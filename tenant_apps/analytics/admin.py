from django.contrib import admin

from tenants.admin_site import StoreModelAdmin, StoreOwnerModelAdmin, store_admin_site

from .models import Agent, Channel, ConversationState, IngestionToken


@admin.register(IngestionToken, site=store_admin_site)
class IngestionTokenAdmin(StoreOwnerModelAdmin):
    list_display = ("name", "key_prefix", "created_at", "last_used_at")
    # Keys are created through the API (shown once); the admin may only look and revoke.
    readonly_fields = ("name", "key_prefix", "key_hash", "created_by_id", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Agent, site=store_admin_site)
class AgentAdmin(StoreModelAdmin):
    list_display = ("external_id", "name", "email", "updated_at")
    search_fields = ("external_id", "name", "email")

    def has_add_permission(self, request):
        return False


@admin.register(Channel, site=store_admin_site)
class ChannelAdmin(StoreModelAdmin):
    list_display = ("external_id", "name", "type", "updated_at")
    search_fields = ("external_id", "name")

    def has_add_permission(self, request):
        return False


@admin.register(ConversationState, site=store_admin_site)
class ConversationStateAdmin(StoreModelAdmin):
    """Read-only: the state is what the events say; edits would drift from the rollups."""

    list_display = ("external_id", "status", "assignee", "channel", "created_at", "last_event_at")
    list_filter = ("status",)
    search_fields = ("external_id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
