"""Product image checks: the file must decode as a JPEG, PNG or WebP picture of sane size."""

import warnings

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from .errors import CatalogError, CatalogErrorCode

IMAGE_MAX_BYTES = 5 * 1024 * 1024
# 40 megapixels is far beyond any product photo; bigger claims are decompression bombs
# (a few KB on the wire that expand to gigabytes in memory).
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageError(CatalogError):
    """A refused upload (caught apart from other errors while the file is decoded)."""


def image_validate(file: UploadedFile) -> str:
    """Decode the upload fully; returns the file extension for its real format or raises."""
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
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise ImageError(
                        "The image has too many pixels.",
                        code=CatalogErrorCode.IMAGE_TOO_MANY_PIXELS,
                        details={"max_pixels": IMAGE_MAX_PIXELS},
                    )
                if image_format not in IMAGE_FORMATS:
                    raise ImageError(
                        "The image must be a JPEG, PNG or WebP picture.",
                        code=CatalogErrorCode.IMAGE_FORMAT,
                    )
                image.verify()  # structure and checksums
            # verify() leaves the image unusable; decode the pixels from a fresh handle too.
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except ImageError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise ImageError(
            "The file is not a readable image.", code=CatalogErrorCode.IMAGE_INVALID
        ) from error
    finally:
        file.seek(0)
    return IMAGE_FORMATS[image_format]


def image_absolute_url(request, name: str) -> str | None:
    """The absolute URL of a stored image, on the host the request came in on."""
    if not name:
        return None
    return request.build_absolute_uri(default_storage.url(name))


def image_base_url(request) -> str:
    """The absolute URL stored image names are appended to, on the request's host."""
    return request.build_absolute_uri(default_storage.url(""))
