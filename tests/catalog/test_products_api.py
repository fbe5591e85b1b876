"""Seller side of the catalogue: products (with images) and categories."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tenant_apps.catalog.models import Category, Product
from tenant_apps.orders.models import Customer, Order, OrderLine
from tests.support.factories import buyer_client, image_upload, product_make, seller_client
from tests.support.stores import api_client, in_store, store_host


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


VALID = {
    "name": "Masala chai",
    "description": "Strong",
    "mrp": "150.00",
    "sale_price": "120.50",
    "category": "Tea",
}


def test_create_product_from_json_creates_the_category(client_a, store_a):
    response = client_a.post("/api/products", VALID, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Masala chai"
    assert body["image"] is None
    assert body["mrp"] == "150.00"
    assert body["sale_price"] == "120.50"
    assert body["category"]["name"] == "Tea"
    assert body["is_active"] is True
    with in_store(store_a):
        product = Product.objects.get(pk=body["id"])
        assert product.sale_price == Decimal("120.50")
        assert list(Category.objects.values_list("name", flat=True)) == ["Tea"]


def test_category_is_matched_case_insensitively(client_a, store_a):
    first = client_a.post("/api/products", VALID, format="json").json()
    second = client_a.post(
        "/api/products", {**VALID, "name": "Green", "category": "  tEA "}, format="json"
    ).json()

    assert first["category"]["id"] == second["category"]["id"]
    with in_store(store_a):
        assert Category.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"name": ""}, "name", "blank"),
        ({"name": None}, "name", "null"),
        ({"name": "x" * 201}, "name", "max_length"),
        ({"mrp": "0"}, "mrp", "min_value"),
        ({"mrp": "-5"}, "mrp", "min_value"),
        ({"sale_price": "0.00"}, "sale_price", "min_value"),
        ({"mrp": "abc"}, "mrp", "invalid"),
        ({"mrp": "10.123"}, "mrp", "max_decimal_places"),
        ({"mrp": "123456789.00"}, "mrp", "max_digits"),
        ({"sale_price": "150.01"}, None, "sale_price_above_mrp"),
        ({"category": ""}, "category", "blank"),
        ({"category": "   "}, "category", "blank"),
    ],
)
def test_product_validation(client_a, store_a, change, field, code):
    response = client_a.post("/api/products", {**VALID, **change}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    if field:
        assert field in body["details"]
    with in_store(store_a):
        assert Product.objects.count() == 0


@pytest.mark.parametrize("missing", ["name", "mrp", "sale_price", "category"])
def test_required_product_fields(client_a, store_a, missing):
    payload = {k: v for k, v in VALID.items() if k != missing}
    response = client_a.post("/api/products", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "required"
    assert missing in response.json()["details"]


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_multipart_product_with_image_is_stored_per_store(
    client_a, store_a, media_root, image_format, extension
):
    upload = image_upload(f"shot.{extension}", image_format)

    response = client_a.post("/api/products", {**VALID, "image": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    url = response.json()["image"]
    prefix = f"http://{store_host(store_a)}:8000/media/store_alpha/products/"
    assert url.startswith(prefix)
    assert url.endswith(f".{extension}")
    stored = media_root / "store_alpha" / "products" / url.rsplit("/", 1)[1]
    assert stored.read_bytes() == image_upload(f"shot.{extension}", image_format).read()
    with Image.open(stored) as image:
        assert image.format == image_format
        assert image.size == (8, 6)


def test_image_name_comes_from_its_real_format(client_a, media_root):
    upload = image_upload("actually-a-jpeg.png", "JPEG")
    response = client_a.post("/api/products", {**VALID, "image": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["image"].endswith(".jpg")


def _bomb_png() -> bytes:
    # 9,000 x 9,000 one-bit pixels: 81 megapixels compress to a few kilobytes.
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("notes.png", b"this is a text file, not a picture\n" * 10, 400, "image_invalid"),
        ("empty.png", b"", 400, "empty"),
        ("half.png", None, 400, "image_invalid"),
        ("anim.gif", "GIF", 400, "image_format"),
        ("bomb.png", "BOMB", 400, "image_too_many_pixels"),
        ("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), 413, "image_too_large"),
    ],
)
def test_bad_images_are_refused(client_a, store_a, media_root, name, content, status, code):
    if content is None:
        content = image_upload("x.png", "PNG", size=(64, 64)).read()[:60]
    elif content == "GIF":
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, format="GIF")
        content = buffer.getvalue()
    elif content == "BOMB":
        content = _bomb_png()
    upload = SimpleUploadedFile(name, content, content_type="image/png")

    response = client_a.post("/api/products", {**VALID, "image": upload}, format="multipart")

    assert response.status_code == status
    assert response.json()["code"] == code
    with in_store(store_a):
        assert Product.objects.count() == 0
    assert not list(Path(media_root).rglob("*.*"))


def test_list_and_filter_products(client_a, store_a):
    with in_store(store_a):
        tea = product_make("Tea", category="Drinks")
        product_make("Old tea", category="Drinks", is_active=False)
        cake = product_make("Cake", category="Bakery")

    everything = client_a.get("/api/products").json()
    active_drinks = client_a.get(f"/api/products?category={tea.category_id}&is_active=true").json()
    searched = client_a.get("/api/products?search=cak").json()

    assert everything["count"] == 3
    assert [p["name"] for p in everything["results"]] == ["Cake", "Old tea", "Tea"]
    assert [p["id"] for p in active_drinks["results"]] == [tea.id]
    assert [p["id"] for p in searched["results"]] == [cake.id]


def test_bad_list_filter_is_400(client_a):
    response = client_a.get("/api/products?category=abc")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_active_filter_is_true_false_or_left_out(client_a, store_a):
    with in_store(store_a):
        product_make("Tea")
        product_make("Old tea", is_active=False)

    left_empty = client_a.get("/api/products?is_active=").json()
    inactive = client_a.get("/api/products?is_active=false").json()
    spelled_null = client_a.get("/api/products?is_active=null")

    assert left_empty["count"] == 2
    assert [p["name"] for p in inactive["results"]] == ["Old tea"]
    assert (spelled_null.status_code, spelled_null.json()["code"]) == (400, "invalid")


def test_get_and_patch_product(client_a, store_a):
    with in_store(store_a):
        product = product_make("Tea", mrp="100.00", sale_price="90.00")

    got = client_a.get(f"/api/products/{product.id}")
    patched = client_a.patch(
        f"/api/products/{product.id}",
        {"sale_price": "80.00", "category": "Hot drinks", "is_active": False},
        format="json",
    )

    assert got.status_code == 200
    assert got.json()["sale_price"] == "90.00"
    assert patched.status_code == 200
    assert patched.json()["sale_price"] == "80.00"
    assert patched.json()["category"]["name"] == "Hot drinks"
    assert patched.json()["is_active"] is False


def test_patch_checks_prices_against_stored_values(client_a, store_a):
    with in_store(store_a):
        product = product_make("Tea", mrp="100.00", sale_price="90.00")

    response = client_a.patch(
        f"/api/products/{product.id}", {"sale_price": "100.01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "sale_price_above_mrp"
    with in_store(store_a):
        product.refresh_from_db()
        assert product.sale_price == Decimal("90.00")


def test_patch_replaces_and_removes_the_image(
    client_a, media_root, django_capture_on_commit_callbacks
):
    folder = media_root / "store_alpha" / "products"
    created = client_a.post(
        "/api/products", {**VALID, "image": image_upload()}, format="multipart"
    ).json()
    first_file = folder / created["image"].rsplit("/", 1)[1]

    with django_capture_on_commit_callbacks(execute=True):
        replaced = client_a.patch(
            f"/api/products/{created['id']}",
            {"image": image_upload("new.jpg", "JPEG")},
            format="multipart",
        )
    second_file = folder / replaced.json()["image"].rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        removed = client_a.patch(f"/api/products/{created['id']}", {"image": None}, format="json")

    assert replaced.status_code == 200
    assert second_file.suffix == ".jpg"
    assert not first_file.exists()
    assert removed.status_code == 200
    assert removed.json()["image"] is None
    assert not second_file.exists()


def test_unknown_product_is_404(client_a):
    response = client_a.get("/api/products/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "product_not_found"


def test_delete_product_never_ordered(client_a, store_a):
    with in_store(store_a):
        product = product_make("Tea")

    response = client_a.delete(f"/api/products/{product.id}")

    assert response.status_code == 204
    with in_store(store_a):
        assert not Product.objects.filter(pk=product.id).exists()


def test_delete_of_an_ordered_product_archives_it(client_a, store_a):
    with in_store(store_a):
        product = product_make("Tea")
        customer = Customer.objects.create(mobile="+919811111111")
        order = Order.objects.create(
            customer=customer, total=Decimal("100.00"), address_line1="1 Road",
            address_city="Pune", address_pincode="411001", address_phone="9811111111",
        )  # fmt: skip
        OrderLine.objects.create(
            order=order, product=product, name="Tea", unit_price=Decimal("100.00"),
            mrp=Decimal("120.00"), quantity=1, line_total=Decimal("100.00"),
        )  # fmt: skip

    response = client_a.delete(f"/api/products/{product.id}")

    assert response.status_code == 200
    assert response.json() == {"id": product.id, "status": "archived", "is_active": False}
    with in_store(store_a):
        product.refresh_from_db()
        assert product.is_active is False


def test_categories_with_counts(client_a, store_a):
    with in_store(store_a):
        product_make("Tea", category="Drinks")
        product_make("Coffee", category="Drinks")
        product_make("Old", category="Drinks", is_active=False)
        product_make("Cake", category="Bakery")
        Category.objects.create(name="Empty")

    response = client_a.get("/api/categories")

    assert response.status_code == 200
    assert [(c["name"], c["product_count"], c["archived_count"]) for c in response.json()] == [
        ("Drinks", 2, 1),
        ("Bakery", 1, 0),
        ("Empty", 0, 0),
    ]


# --- who may use the seller endpoints ---------------------------------------------------


def test_store_b_seller_jwt_is_refused_on_store_a(store_a, store_b, seller_b):
    with in_store(store_a):
        product_make("Secret tea")
    client = seller_client(store_a, seller_b)

    for response in (
        client.get("/api/products"),
        client.get("/api/categories"),
        client.post("/api/products", VALID, format="json"),
    ):
        assert response.status_code == 403
        assert "Secret tea" not in response.content.decode()
    with in_store(store_a):
        assert Product.objects.count() == 1


def test_store_b_api_token_is_refused_on_store_a(store_a, api_token_b):
    response = api_client(store_host(store_a), token=api_token_b).get("/api/products")
    assert response.status_code == 403


def test_api_token_of_store_a_works(store_a, api_token_a):
    response = api_client(store_host(store_a), token=api_token_a).post(
        "/api/products", VALID, format="json"
    )
    assert response.status_code == 201


def test_buyer_token_is_refused_on_seller_endpoints(store_a):
    client, _ = buyer_client(store_a)
    for response in (client.get("/api/products"), client.post("/api/products", VALID)):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_anonymous_is_401(anon_client_a):
    assert anon_client_a.get("/api/products").status_code == 401
    assert anon_client_a.get("/api/categories").status_code == 401
