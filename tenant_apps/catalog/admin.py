from tenants.admin_site import StoreModelAdmin, store_admin_site

from .models import Category, Product


class ProductAdmin(StoreModelAdmin):
    list_display = ["name", "category", "mrp", "sale_price", "is_active", "updated_at"]
    list_filter = ["is_active", "category"]
    search_fields = ["name"]


class CategoryAdmin(StoreModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


store_admin_site.register(Product, ProductAdmin)
store_admin_site.register(Category, CategoryAdmin)
