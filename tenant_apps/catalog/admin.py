from django import forms
from django.core.files.uploadedfile import UploadedFile

from tenants.admin_site import StoreModelAdmin, store_admin_site

from .images import ImageError, image_validate
from .models import Category, Product
from .services import catalogue_changed


class ProductAdminForm(forms.ModelForm):
    """The product form of the store admin: an uploaded image passes the API's checks
    (images.image_validate), or the form shows why not and nothing is saved."""

    # A plain file field: Django's ImageField would open the upload with every Pillow decoder
    # (TIFF included) before our checks run; image_validate is the one check.
    image = forms.FileField(required=False, max_length=255, widget=forms.ClearableFileInput)

    class Meta:
        model = Product
        fields = ["category", "name", "description", "mrp", "sale_price", "image", "is_active"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            try:
                extension = image_validate(image)
            except ImageError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
            # Stored under the decoded format's extension, as the API stores it.
            image.name = f"product.{extension}"
        return image


class CatalogueAdmin(StoreModelAdmin):
    """The admin writes through the ORM, not the services: every save and delete here tells
    the storefront cache as the services do, so buyers see it on their next request."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        catalogue_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue_changed()


class ProductAdmin(CatalogueAdmin):
    form = ProductAdminForm
    list_display = ["name", "category", "mrp", "sale_price", "is_active", "updated_at"]
    list_filter = ["is_active", "category"]
    search_fields = ["name"]


class CategoryAdmin(CatalogueAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


store_admin_site.register(Product, ProductAdmin)
store_admin_site.register(Category, CategoryAdmin)
