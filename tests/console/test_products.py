"""The console's Products section: the list (search, category, pages of 25), adding and editing
a product with its picture, archiving, the categories; a seller's words for every refusal,
nothing changed on bad input; members only."""

import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.catalog.models import Product
from tests.support.console import console_client
from tests.support.factories import image_upload, product_make
from tests.support.stores import in_store, store_host

LIST = "/console/products/"
NEW = "/console/products/new"
CATEGORIES = "/console/products/categories"
FORM = {"name": "Mango pickle", "description": "Sun-dried, in mustard oil.",
        "category": "Pickles", "mrp": "250", "sale_price": "199.50", "is_active": "on"}  # fmt: skip


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def text(response) -> str:
    return response.content.decode()


def cells(page: str, label: str) -> list[str]:
    found = re.findall(rf'<td data-label="{label}"[^>]*>(.*?)</td>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


def field_error(page: str, field: str) -> str:
    """The error shown next to `field`, or ""."""
    found = re.search(rf'<p class="field-error" id="id_{field}_error">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


def products(store) -> list[tuple]:
    with in_store(store):
        return list(
            Product.objects.order_by("name").values_list(
                "name", "category__name", "mrp", "sale_price", "is_active"
            )
        )


@pytest.fixture
def shelf(store_a):
    with in_store(store_a):
        tea = product_make("Masala tea", category="Drinks", mrp="120.00", sale_price="99.00")
        product_make("Lime soda", category="Drinks", mrp="40.00", sale_price="40.00")
        product_make("Old cake", category="Bakery", mrp="80.00", sale_price="70.00",
                     is_active=False)  # fmt: skip
    return tea


def test_the_list_shows_each_product_with_its_price_in_the_stores_currency(store_a, shelf):
    page = text(console_client(store_a).get(LIST))

    assert sorted(cells(page, "Name")) == ["Lime soda", "Masala tea", "Old cake"]
    rows = dict(zip(cells(page, "Name"), cells(page, "Price"), strict=True))
    assert rows == {"Masala tea": "₹99.00 MRP ₹120.00", "Lime soda": "₹40.00",
                    "Old cake": "₹70.00 MRP ₹80.00"}  # fmt: skip
    statuses = dict(zip(cells(page, "Name"), cells(page, "Status"), strict=True))
    assert statuses == {"Masala tea": "Active", "Lime soda": "Active", "Old cake": "Archived"}
    assert "3 products." in page
    assert f'<a class="button" href="{NEW}">Add product</a>' in page


def test_search_and_category_narrow_the_list(store_a, shelf):
    client = console_client(store_a)
    with in_store(store_a):
        drinks = shelf.category_id

    by_name = text(client.get(LIST, {"q": "tea"}))
    by_category = text(client.get(LIST, {"category": drinks}))
    archived = text(client.get(LIST, {"show": "archived"}))
    nothing = text(client.get(LIST, {"q": "zzz"}))

    assert cells(by_name, "Name") == ["Masala tea"]
    assert sorted(cells(by_category, "Name")) == ["Lime soda", "Masala tea"]
    assert cells(archived, "Name") == ["Old cake"]
    assert "No product matches." in nothing


def test_products_come_25_to_a_page(store_a):
    with in_store(store_a):
        for number in range(27):
            product_make(f"Item {number:02d}")
    client = console_client(store_a)

    first = text(client.get(LIST))
    second = text(client.get(LIST, {"page": 2}))

    assert len(cells(first, "Name")) == 25
    assert len(cells(second, "Name")) == 2
    assert "Page 1 of 2" in first and 'href="?page=2">Next \u203a</a>' in first
    assert "Page 2 of 2" in second


def test_the_form_has_labelled_fields_and_a_category_list(store_a, shelf):
    page = text(console_client(store_a).get(NEW))

    for field, label in [("name", "Name"), ("description", "Description"),
                         ("category", "Category"), ("mrp", "MRP"), ("sale_price", "Sale price"),
                         ("image", "Image"), ("is_active", "Active")]:  # fmt: skip
        assert f'<label for="id_{field}">{label}</label>' in page
    assert 'list="category-names"' in page
    # Biggest category first, as on the categories page.
    assert (
        '<datalist id="category-names"><option value="Drinks"></option>'
        '<option value="Bakery"></option></datalist>'
    ) in page
    assert '<option value="Drinks"></option>' in page
    assert 'id="image-preview"' in page and "js/console-products.js" in page


def test_a_product_is_added_with_its_picture(store_a, shelf, media_root):
    client = console_client(store_a)

    answer = client.post(NEW, FORM | {"image": image_upload("mango.png")})
    after = text(client.get(LIST))

    assert (answer.status_code, answer["Location"]) == (302, LIST)
    assert "“Mango pickle” is added to your shop." in after
    assert ("Mango pickle", "Pickles", D("250.00"), D("199.50"), True) in products(store_a)
    with in_store(store_a):
        made = Product.objects.get(name="Mango pickle")
    assert made.description == "Sun-dried, in mustard oil."
    assert made.image.name.endswith(".png")
    assert (media_root / made.image.name).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"sale_price": "300"}, "sale_price", "The sale price cannot be more than the MRP."),
        ({"mrp": "0"}, "mrp", "A price must be more than zero."),
        ({"mrp": "-5"}, "mrp", "A price must be more than zero."),
        ({"mrp": "two hundred"}, "mrp", "Write the price as a number, like 199 or 199.50."),
        ({"sale_price": "19.999"}, "sale_price",
         "Use at most 2 digits after the point, like 199.50."),
        ({"mrp": "123456789012"}, "mrp", "Keep the price under 1,00,00,000."),
        ({"sale_price": ""}, "sale_price", "Give a price, like 199 or 199.50."),
        ({"name": ""}, "name", "Give the product a name, like “Mango pickle”."),
        ({"category": "   "}, "category", "Pick a category or type a new one, like “Pickles”."),
        ({"image": SimpleUploadedFile("notes.png", b"plain text, not a picture\n" * 20)},
         "image", "This file is not a picture we can read. "
         "Choose a PNG, JPEG or WebP image of at most 5 MB."),
        ({"image": image_upload("photo.gif", "GIF")}, "image",
         "This file is not a PNG, JPEG or WebP picture. "
         "Choose a PNG, JPEG or WebP image of at most 5 MB."),
    ],
)  # fmt: skip
def test_a_bad_product_is_explained_next_to_its_field_and_nothing_is_saved(
    store_a, shelf, changes, field, message
):
    before = products(store_a)

    answer = console_client(store_a).post(NEW, FORM | changes)

    page = text(answer)
    assert answer.status_code == 400
    assert field_error(page, field) == escape(message)
    assert "Ensure this value" not in page
    assert "Nothing is saved yet" in page
    assert products(store_a) == before


def test_a_product_is_edited_and_its_picture_replaced(store_a, shelf, media_root):
    client = console_client(store_a)
    path = f"/console/products/{shelf.pk}/"

    page = text(client.get(path))
    saved = client.post(path, FORM | {"name": "Masala chai", "category": "Drinks",
                                      "image": image_upload("tea.jpg", "JPEG")})  # fmt: skip
    edited = text(client.get(path))

    assert 'value="Masala tea"' in page and 'value="Drinks"' in page
    assert 'value="120.00"' in page and 'value="99.00"' in page
    assert 'id="image-none"' in page and "No picture yet." in page
    assert (saved.status_code, saved["Location"]) == (302, path)
    assert "“Masala chai” is saved." in edited
    with in_store(store_a):
        shelf.refresh_from_db()
    assert (shelf.name, shelf.mrp, shelf.sale_price) == ("Masala chai", D("250.00"), D("199.50"))
    assert shelf.image.name.endswith(".jpg")
    assert f'src="http://{store_host(store_a)}/media/{shelf.image.name}"' in edited or (
        shelf.image.name in edited
    )
    assert 'alt="The picture of Masala chai"' in edited


def test_a_bad_edit_changes_nothing(store_a, shelf):
    before = products(store_a)

    answer = console_client(store_a).post(
        f"/console/products/{shelf.pk}/", FORM | {"name": "Renamed", "sale_price": "999"}
    )

    assert answer.status_code == 400
    assert field_error(text(answer), "sale_price") == "The sale price cannot be more than the MRP."
    assert products(store_a) == before


def test_archiving_hides_the_product_and_restoring_brings_it_back(store_a, shelf):
    client = console_client(store_a)
    path = f"/console/products/{shelf.pk}/"

    archived = client.post(f"{path}archive", {"archive": "1"})
    page = text(client.get(path))
    restored = client.post(f"{path}archive", {"archive": "0"})

    assert (archived.status_code, archived["Location"]) == (302, path)
    assert "“Masala tea” is archived: buyers no longer see it." in page
    assert "Restore Masala tea" in page
    assert restored.status_code == 302
    with in_store(store_a):
        shelf.refresh_from_db()
    assert shelf.is_active is True


def test_categories_show_their_product_counts(store_a, shelf):
    page = text(console_client(store_a).get(CATEGORIES))

    rows = list(zip(cells(page, "Category"), cells(page, "Active products"),
                    cells(page, "Archived"), strict=True))  # fmt: skip
    assert sorted(rows) == [("Bakery", "0", "1"), ("Drinks", "2", "0")]


def test_staff_add_and_archive_products(store_a, shelf):
    staff = Seller.objects.create_user(mobile="+919800000081", name="Ravi")
    StoreMembership.objects.create(store=store_a, seller=staff, role=StoreMembership.Role.STAFF)
    client = console_client(store_a, seller=staff)

    added = client.post(NEW, FORM)
    archived = client.post(f"/console/products/{shelf.pk}/archive", {"archive": "1"})

    assert (added.status_code, archived.status_code) == (302, 302)
    names = {name: active for name, _, _, _, active in products(store_a)}
    assert names["Mango pickle"] is True and names["Masala tea"] is False


def test_another_stores_seller_is_refused_and_anonymous_sent_to_sign_in(store_a, store_b, shelf):
    b_seller_on_a = Client(HTTP_HOST=store_host(store_a))
    with in_store(store_a):
        b_seller_on_a.force_login(store_b.owner)
    anonymous = Client(HTTP_HOST=store_host(store_a))
    before = products(store_a)
    path = f"/console/products/{shelf.pk}/"

    answers = [b_seller_on_a.get(LIST), b_seller_on_a.get(path), b_seller_on_a.get(CATEGORIES),
               b_seller_on_a.post(NEW, FORM), b_seller_on_a.post(path, FORM),
               b_seller_on_a.post(f"{path}archive", {"archive": "1"})]  # fmt: skip
    sign_in = [anonymous.get(LIST), anonymous.post(NEW, FORM)]

    assert [answer.status_code for answer in answers] == [403] * 6
    assert all("Masala tea" not in text(answer) for answer in answers)
    assert all(a.status_code == 302 and "/login" in a["Location"] for a in sign_in)
    assert products(store_a) == before


def test_a_product_of_no_such_id_is_not_found(store_a):
    client = console_client(store_a)

    assert client.get("/console/products/999/").status_code == 404
    assert client.post("/console/products/999/archive", {"archive": "1"}).status_code == 404
