"""Every error code the catalogue answers with, each with its one status."""

from saas.api.errors import ApplicationError, ErrorCode


class CatalogErrorCode(ErrorCode):
    INVALID_CATEGORY = ("invalid_category", 400)
    INVALID_PRICE = ("invalid_price", 400)
    SALE_PRICE_ABOVE_MRP = ("sale_price_above_mrp", 400)
    INVALID_STOCK = ("invalid_stock", 400)
    IMAGE_FORMAT = ("image_format", 400)
    IMAGE_INVALID = ("image_invalid", 400)
    IMAGE_TOO_MANY_PIXELS = ("image_too_many_pixels", 400)
    PRODUCT_NOT_FOUND = ("product_not_found", 404)
    CATEGORY_NOT_FOUND = ("category_not_found", 404)
    PAGE_NOT_FOUND = ("page_not_found", 404)
    IMAGE_TOO_LARGE = ("image_too_large", 413)


class CatalogError(ApplicationError):
    """Raised with a `CatalogErrorCode` member, which carries the answer's status."""

    def __init__(self, message: str, *, code: CatalogErrorCode, details: dict | None = None):
        super().__init__(message, code=code, details=details)
