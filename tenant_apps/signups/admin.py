from django.contrib import admin

from tenants.admin_site import StoreModelAdmin, store_admin_site

from .models import Signup, SignupDigest, WidgetSite


class WidgetSiteAdmin(StoreModelAdmin):
    list_display = ["name", "key", "origins", "is_active", "created_at"]
    readonly_fields = ["key", "created_at", "updated_at"]
    fields = ["name", "key", "allowed_origins", "is_active", "created_at", "updated_at"]

    @admin.display(description="allowed origins")
    def origins(self, obj):
        return ", ".join(obj.allowed_origins)

    def has_add_permission(self, request):
        return False  # made through the API, which generates the key and checks the origins

    def has_change_permission(self, request, obj=None):
        return False  # same: origins are validated by the service

    def has_delete_permission(self, request, obj=None):
        return False  # switched off, never deleted: signups keep pointing at their site


class SignupAdmin(StoreModelAdmin):
    list_display = ["email", "name", "site", "page_url", "consent", "created_at"]
    list_filter = ["consent", "site"]
    search_fields = ["email", "name"]
    date_hierarchy = "created_at"
    readonly_fields = ["email", "name", "site", "page_url", "consent", "consent_at",
                       "ip_truncated", "user_agent", "created_at"]  # fmt: skip

    def has_add_permission(self, request):
        return False  # visitors sign up through the widget


class SignupDigestAdmin(StoreModelAdmin):
    list_display = ["created_at", "month_label", "this_month", "since_last", "total"]
    readonly_fields = ["run_key", "created_at", "covered_until", "month_label", "this_month",
                       "since_last", "total", "recipients_sent"]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


store_admin_site.register(WidgetSite, WidgetSiteAdmin)
store_admin_site.register(Signup, SignupAdmin)
store_admin_site.register(SignupDigest, SignupDigestAdmin)
