"""Product image checks: the file must decode as a JPEG, PNG or WebP picture of sane size.

The API (services.product_create / product_update) and the store admin's product form both
call `image_validate`. Nothing is decoded before the format and the pixel count are known: the
file is opened lazily, only with the decoders of the formats we serve, and `im.size` (read
from the header) is checked before `load()`.
"""

import re
import warnings

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from .errors import CatalogError, CatalogErrorCode

IMAGE_MAX_BYTES = 5 * 1024 * 1024
# 4096 x 4096: beyond any product photo that fits in 5 MB, and at most 64 MB once decoded
# (RGBA). Bigger claims are decompression bombs: a PNG of a few KB can claim 36 megapixels
# (~108 MB decoded) or more.
IMAGE_MAX_PIXELS = 4096 * 4096
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Pillow's own memory cap, the same number: Image.open() refuses a larger header itself
# (a warning up to twice the cap, which image_validate treats as an error; an error beyond).
# Product images are the only pictures this process decodes.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
# Only to name a refused format in the error; these files never reach a decoder.
OTHER_IMAGE_SIGNATURES = (
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
    b"8BPS",
    b"\x00\x00\x01\x00",
)


class ImageError(CatalogError):
    """A refused upload (caught apart from other errors while the file is decoded)."""


def _too_many_pixels() -> ImageError:
    return ImageError(
        f"The image has too many pixels: at most {IMAGE_MAX_PIXELS:,} (4096 x 4096).",
        code=CatalogErrorCode.IMAGE_TOO_MANY_PIXELS,
        details={"max_pixels": IMAGE_MAX_PIXELS},
    )


def _not_served(file: UploadedFile) -> ImageError:
    file.seek(0)
    head = file.read(16)
    is_other_image = head.startswith(OTHER_IMAGE_SIGNATURES) or head[4:8] == b"ftyp"
    if is_other_image:
        return ImageError(
            "The image must be a JPEG, PNG or WebP picture.", code=CatalogErrorCode.IMAGE_FORMAT
        )
    return ImageError("The file is not a readable image.", code=CatalogErrorCode.IMAGE_INVALID)


def image_validate(file: UploadedFile) -> str:
    """Check the upload, then decode it; returns the file extension of its real format."""
    if file.size is not None and file.size > IMAGE_MAX_BYTES:
        raise ImageError(
            "The image is larger than 5 MB.",
            code=CatalogErrorCode.IMAGE_TOO_LARGE,
            details={"max_bytes": IMAGE_MAX_BYTES},
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            # Lazy: reads the header only, with no decoder but those of the formats we serve.
            with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
                image_format = image.format
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise _too_many_pixels()
                image.verify()  # structure and checksums
            # verify() leaves the image unusable; decode the pixels from a fresh handle too.
            file.seek(0)
            with Image.open(file, formats=[image_format]) as image:
                image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise _too_many_pixels() from error
    except UnidentifiedImageError as error:
        raise _not_served(file) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(
            "The file is not a readable image.", code=CatalogErrorCode.IMAGE_INVALID
        ) from error
    finally:
        file.seek(0)
    return IMAGE_FORMATS[image_format]


def _request_origin(request) -> str:
    """scheme://host[:port] of the request, with the port our store links use when the Host
    header names none.

    A browser sends the port (acme.localhost:8000), but a client that writes the header itself
    (curl -H "Host: acme.localhost", as the README shows) or a proxy that passes nginx's `$host`
    drops it; `build_absolute_uri` then gave http://acme.localhost/media/..., which does not
    load in development. The store link (tenants.models.store_url_for_host) uses
    SAAS_URL_PORT, so do image URLs.
    """
    host = request.get_host()
    if settings.SAAS_URL_PORT and not _has_port(host):
        host = f"{host}:{settings.SAAS_URL_PORT}"
    return f"{request.scheme}://{host}"


def _has_port(host: str) -> bool:
    # "[::1]:8000" and "acme.localhost:8000" carry one; "[::1]" and "acme.localhost" do not.
    return bool(re.search(r":[0-9]+$", host)) and not host.endswith("]")


def image_absolute_url(request, name: str) -> str | None:
    """The absolute URL of a stored image, on the host the request came in on."""
    if not name:
        return None
    url = default_storage.url(name)
    return url if "://" in url else _request_origin(request) + url


def image_base_url(request) -> str:
    """The absolute URL stored image names are appended to, on the request's host."""
    url = default_storage.url("")
    return url if "://" in url else _request_origin(request) + url
