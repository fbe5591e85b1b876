"""Every error code carts and orders answer with, each with its one status.

`product_unavailable` answered 404 when a cart line was set and 409 when an order was placed;
it is 404 in both now (the product is not for sale in this store, whichever call finds out).
"""

from saas.api.errors import ApplicationError, ErrorCode


class OrdersErrorCode(ErrorCode):
    CART_EMPTY = ("cart_empty", 400)
    CART_TOKEN_MISSING = ("cart_token_missing", 400)
    INVALID_IDEMPOTENCY_KEY = ("invalid_idempotency_key", 400)
    INVALID_QUANTITY = ("invalid_quantity", 400)
    CART_NOT_FOUND = ("cart_not_found", 404)
    ORDER_NOT_FOUND = ("order_not_found", 404)
    PRODUCT_UNAVAILABLE = ("product_unavailable", 404)
    CART_CONVERTED = ("cart_converted", 409)
    INVALID_TRANSITION = ("invalid_transition", 409)


class OrdersError(ApplicationError):
    """Raised with an `OrdersErrorCode` member, which carries the answer's status."""

    def __init__(self, message: str, *, code: OrdersErrorCode, details: dict | None = None):
        super().__init__(message, code=code, details=details)
