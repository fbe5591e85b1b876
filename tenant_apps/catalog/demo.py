"""Demo products for the store `make run` fills: 12 products with images in 4 categories.

Idempotent: a product is found by its name and made only when missing. The images are drawn
here (a coloured tile with the product's initials), so the demo needs no files or network.
"""

from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from .models import Product
from .services import product_create

# name, category, MRP, sale price, tile colour, description
DEMO_PRODUCTS = (
    (
        "Mango pickle",
        "Pantry",
        "240.00",
        "199.00",
        (214, 138, 30),
        "Raw mango in mustard oil, 400 g.",
    ),
    ("Lime pickle", "Pantry", "220.00", "220.00", (140, 170, 40), "Sun-cured limes, 400 g."),
    ("Masala chai", "Drinks", "180.00", "149.00", (150, 80, 40), "Assam tea with cardamom, 250 g."),
    ("Filter coffee", "Drinks", "320.00", "289.00", (90, 55, 35), "Chicory blend, 500 g."),
    ("Kokum sherbet", "Drinks", "160.00", "160.00", (150, 30, 80), "Concentrate, 750 ml."),
    ("Cotton kurta", "Clothing", "1499.00", "1199.00", (40, 90, 170), "Hand-block print, M."),
    ("Linen scarf", "Clothing", "899.00", "749.00", (120, 120, 160), "Natural linen, 180 cm."),
    ("Khadi shirt", "Clothing", "1299.00", "1299.00", (210, 200, 170), "Hand-spun khadi, L."),
    ("Brass diya", "Home", "450.00", "399.00", (200, 160, 40), "Hand-cast brass lamp."),
    ("Clay planter", "Home", "350.00", "299.00", (180, 90, 60), "Terracotta, 15 cm."),
    ("Jute basket", "Home", "599.00", "499.00", (170, 140, 90), "Woven jute, 30 cm."),
    ("Cane tray", "Home", "799.00", "699.00", (130, 100, 60), "Hand-woven cane, 40 cm."),
)


def demo_image(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    tile = Image.new("RGB", (480, 480), colour)
    draw = ImageDraw.Draw(tile)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    draw.text((240, 240), initials, fill=(255, 255, 255), anchor="mm", font_size=160)
    data = BytesIO()
    tile.save(data, "PNG")
    slug = name.lower().replace(" ", "-")
    return SimpleUploadedFile(f"{slug}.png", data.getvalue(), content_type="image/png")


def demo_fill() -> None:
    for name, category, mrp, sale_price, colour, description in DEMO_PRODUCTS:
        if Product.objects.filter(name=name).exists():
            continue
        product_create(
            name=name,
            category=category,
            mrp=Decimal(mrp),
            sale_price=Decimal(sale_price),
            description=description,
            image=demo_image(name, colour),
        )
