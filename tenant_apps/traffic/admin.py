"""Store admin: members see the followed repositories, their fetch state and stored days.

The GitHub token's encrypted value is never shown; the admin only says when it was set.
"""

from django.contrib import admin

from tenants.admin_site import StoreModelAdmin, store_admin_site

from .models import GithubCredential, Repository, TrafficDay


class TrafficDayInline(admin.TabularInline):
    model = TrafficDay
    fields = ("date", "views", "unique_views", "clones", "unique_clones")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-date",)

    def has_add_permission(self, request, obj=None):
        return False


class RepositoryAdmin(StoreModelAdmin):
    list_display = ("full_name", "seller_id", "created_at", "last_success_at", "last_error")
    search_fields = ("owner", "name")
    readonly_fields = (
        "seller", "owner", "name", "created_at", "last_fetch_at", "last_success_at",
        "last_error", "last_error_code",
    )  # fmt: skip
    inlines = [TrafficDayInline]

    def has_add_permission(self, request):
        return False  # repositories are added through the API, which validates the URL


class GithubCredentialAdmin(StoreModelAdmin):
    fields = ("updated_at", "updated_by")
    readonly_fields = fields
    list_display = ("__str__", "updated_at")

    def has_add_permission(self, request):
        return False  # set through PUT /api/traffic/github-token

    def has_change_permission(self, request, obj=None):
        return False


store_admin_site.register(Repository, RepositoryAdmin)
store_admin_site.register(GithubCredential, GithubCredentialAdmin)
