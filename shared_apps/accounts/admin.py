from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, OtpChallenge, Seller, StoreMembership


@admin.register(Seller)
class SellerAdmin(UserAdmin):
    ordering = ["-date_joined"]
    list_display = ["id", "email", "mobile", "name", "is_staff", "date_joined"]
    search_fields = ["email", "mobile", "name"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "mobile", "name", "password"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "mobile", "password1", "password2"]})]
    filter_horizontal: list[str] = []


@admin.register(StoreMembership)
class StoreMembershipAdmin(admin.ModelAdmin):
    list_display = ["store", "seller", "role", "created_at"]
    list_filter = ["role"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["seller", "name", "key_prefix", "created_at", "last_used_at"]
    readonly_fields = ["key_hash", "key_prefix"]


@admin.register(OtpChallenge)
class OtpChallengeAdmin(admin.ModelAdmin):
    list_display = ["mobile", "scope", "created_at", "expires_at", "attempts", "consumed_at"]
    readonly_fields = ["code_hash"]
