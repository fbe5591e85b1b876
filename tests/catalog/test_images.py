"""Product images: the store admin's upload passes the API's checks, and the pixel count is
refused from the header, before anything is decoded."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from tenant_apps.catalog.images import IMAGE_MAX_PIXELS, ImageError, image_validate
from tenant_apps.catalog.models import Product
from tests.support.factories import category_make, image_bytes, image_upload
from tests.support.stores import api_client, in_store, store_host


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def encoded(mode: str, size: tuple[int, int], image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=image_format, **options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def tiff_81_megapixels() -> bytes:
    return encoded("1", (9000, 9000), "TIFF", compression="group4")


@pytest.fixture(scope="module")
def png_36_megapixels() -> bytes:
    return encoded("1", (6000, 6000), "PNG")


@pytest.fixture
def decodes(monkeypatch) -> list:
    """Every pixel decode Pillow starts (ImageFile.load) while the test runs."""
    started = []
    original = ImageFile.ImageFile.load

    def load(image):
        started.append(image.size)
        return original(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return started


def admin_add(store, seller, image: SimpleUploadedFile):
    with in_store(store):
        category = category_make("Tea")
    client = api_client(store_host(store), user=seller)
    return client.post(
        "/admin/catalog/product/add/",
        {"category": category.pk, "name": "Masala chai", "description": "", "mrp": "150.00",
         "sale_price": "120.00", "is_active": "on", "image": image},
    )  # fmt: skip


def test_a_small_png_of_36_megapixels_is_refused_without_decoding(png_36_megapixels, decodes):
    upload = SimpleUploadedFile("bomb.png", png_36_megapixels, content_type="image/png")
    assert upload.size < 100_000  # small on the wire

    with pytest.raises(ImageError) as refused:
        image_validate(upload)

    assert refused.value.code == "image_too_many_pixels"
    assert refused.value.details == {"max_pixels": IMAGE_MAX_PIXELS}
    assert decodes == []


def test_the_largest_allowed_image_is_decoded_once(decodes):
    upload = SimpleUploadedFile("big.png", encoded("1", (4096, 4096), "PNG"))

    assert image_validate(upload) == "png"
    assert decodes == [(4096, 4096)]


def test_pillows_own_cap_is_ours():
    assert Image.MAX_IMAGE_PIXELS == IMAGE_MAX_PIXELS == 4096 * 4096


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.tiff", encoded("RGB", (8, 8), "TIFF"), "image_format"),
        ("icon.bmp", encoded("RGB", (8, 8), "BMP"), "image_format"),
        ("anim.gif", encoded("RGB", (8, 8), "GIF"), "image_format"),
        ("notes.png", b"plain text, not a picture\n" * 20, "image_invalid"),
    ],
)
def test_formats_we_do_not_serve_never_reach_a_decoder(name, content, code, decodes):
    with pytest.raises(ImageError) as refused:
        image_validate(SimpleUploadedFile(name, content))

    assert refused.value.code == code
    assert decodes == []


def test_the_api_refuses_the_36_megapixel_png(client_a, store_a, media_root, png_36_megapixels):
    upload = SimpleUploadedFile("bomb.png", png_36_megapixels, content_type="image/png")

    response = client_a.post(
        "/api/products",
        {"name": "Tea", "mrp": "10.00", "sale_price": "9.00", "category": "Tea", "image": upload},
        format="multipart",
    )

    assert (response.status_code, response.json()["code"]) == (400, "image_too_many_pixels")
    with in_store(store_a):
        assert Product.objects.count() == 0
    assert not list(Path(media_root).rglob("*.*"))


def test_the_admin_refuses_an_81_megapixel_tiff_and_saves_nothing(
    store_a, seller_a, media_root, tiff_81_megapixels, decodes
):
    upload = SimpleUploadedFile("scan.tiff", tiff_81_megapixels, content_type="image/tiff")

    response = admin_add(store_a, seller_a, upload)

    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors == {
        "image": ["The image must be a JPEG, PNG or WebP picture."]
    }
    assert "The image must be a JPEG, PNG or WebP picture." in response.content.decode()
    with in_store(store_a):
        assert Product.objects.count() == 0
    assert not list(Path(media_root).rglob("*.*"))
    assert decodes == []


def test_the_admin_refuses_the_36_megapixel_png(store_a, seller_a, media_root, png_36_megapixels):
    upload = SimpleUploadedFile("bomb.png", png_36_megapixels, content_type="image/png")

    response = admin_add(store_a, seller_a, upload)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "image": ["The image has too many pixels: at most 16,777,216 (4096 x 4096)."]
    }
    with in_store(store_a):
        assert Product.objects.count() == 0
    assert not list(Path(media_root).rglob("*.*"))


def test_the_admin_stores_a_good_image_under_its_real_format(store_a, seller_a, media_root):
    upload = image_upload("photo.png", "JPEG")  # a JPEG, whatever its name says

    response = admin_add(store_a, seller_a, upload)

    assert response.status_code == 302
    with in_store(store_a):
        product = Product.objects.get()
    assert product.image.name.startswith("store_alpha/products/")
    assert product.image.name.endswith(".jpg")
    assert Path(product.image.path).read_bytes() == image_bytes("JPEG")
