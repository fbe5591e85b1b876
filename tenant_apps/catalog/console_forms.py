"""The console's product form: fields in, the catalogue service's refusals out in a seller's
words, next to the field they concern.

The rules (prices above zero, the sale price at most the MRP, the image checks) live in
services.py and images.py, the same ones the API applies; this form only turns the fields
into the service's arguments and places a CatalogError.
"""

from decimal import Decimal

from django import forms

from .errors import CatalogError, CatalogErrorCode
from .images import IMAGE_MAX_PIXELS

PRICE_WORDS = {
    "required": "Give a price, like 199 or 199.50.",
    "invalid": "Write the price as a number, like 199 or 199.50.",
    "min_value": "A price must be more than zero.",
    "max_digits": "Keep the price under 1,00,00,000.",
    "max_whole_digits": "Keep the price under 1,00,00,000.",
    "max_decimal_places": "Use at most 2 digits after the point, like 199.50.",
}
IMAGE_WORDS = "Choose a PNG, JPEG or WebP image of at most 5 MB."

# Each refusal of the service: (field, words).
ERROR_FIELDS = {
    CatalogErrorCode.SALE_PRICE_ABOVE_MRP.code: (
        "sale_price",
        "The sale price cannot be more than the MRP.",
    ),
    CatalogErrorCode.INVALID_PRICE.code: ("mrp", "A price must be more than zero."),
    CatalogErrorCode.INVALID_STOCK.code: ("stock", "The stock is a whole number, 0 or more."),
    CatalogErrorCode.INVALID_CATEGORY.code: (
        "category",
        "Pick a category or type a new one, like “Pickles”.",
    ),
    CatalogErrorCode.IMAGE_FORMAT.code: (
        "image",
        "This file is not a PNG, JPEG or WebP picture. " + IMAGE_WORDS,
    ),
    CatalogErrorCode.IMAGE_INVALID.code: (
        "image",
        "This file is not a picture we can read. " + IMAGE_WORDS,
    ),
    CatalogErrorCode.IMAGE_TOO_LARGE.code: (
        "image",
        "This image is larger than 5 MB. " + IMAGE_WORDS,
    ),
    CatalogErrorCode.IMAGE_TOO_MANY_PIXELS.code: (
        "image",
        f"This image is too big: at most {IMAGE_MAX_PIXELS:,} pixels (4096 x 4096). "
        "A smaller photo looks just as good in the shop.",
    ),
}


def _price_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages=PRICE_WORDS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ProductForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Give the product a name, like “Mango pickle”.",
            "max_length": "Keep the name under 200 characters.",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Keep the description under 5,000 characters."},
    )
    category = forms.CharField(
        label="Category",
        max_length=80,
        help_text="Pick one of your categories or type a new one.",
        error_messages={
            "required": "Pick a category or type a new one, like “Pickles”.",
            "max_length": "Keep the category name under 80 characters.",
        },
    )
    mrp = _price_field("MRP")
    sale_price = _price_field("Sale price")
    # A plain file field: Django's ImageField would decode the upload with every Pillow
    # decoder before our checks run; the service's image_validate is the one check.
    image = forms.FileField(
        label="Image",
        required=False,
        help_text="A PNG, JPEG or WebP picture of at most 5 MB; square ones look best.",
        error_messages={"empty": "This file is empty. " + IMAGE_WORDS},
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    image_remove = forms.BooleanField(label="Remove the picture", required=False)
    stock = forms.IntegerField(
        label="Stock (leave empty if you don't track it)",
        required=False,
        min_value=0,
        max_value=2_147_483_647,
        help_text="Units left to sell; buyers cannot order more than this.",
        error_messages={
            "invalid": "Write the stock as a whole number, like 12.",
            "min_value": "The stock cannot be below zero.",
            "max_value": "Keep the stock under 2,147,483,647.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )
    is_active = forms.BooleanField(
        label="Active",
        required=False,
        initial=True,
        help_text="Buyers see active products in your shop.",
    )

    def service_arguments(self) -> dict:
        """The fields as product_create / product_update take them."""
        data = self.cleaned_data
        arguments = {
            "name": data["name"],
            "description": data["description"],
            "category": data["category"],
            "mrp": data["mrp"],
            "sale_price": data["sale_price"],
            "is_active": data["is_active"],
        }
        # Only when the page sent the field: a page without it leaves the stock as it is.
        if "stock" in self.data:
            arguments["stock"] = data["stock"]
        if data.get("image"):
            arguments["image"] = data["image"]
        elif data.get("image_remove"):
            arguments["image"] = None
        return arguments

    def show_error(self, error: CatalogError) -> None:
        """Place the service's refusal next to its field, in words a seller reads."""
        field, words = ERROR_FIELDS.get(error.code, (None, error.message))
        self.add_error(field, words)
