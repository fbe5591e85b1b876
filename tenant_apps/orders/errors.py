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
    CUSTOMER_NOT_FOUND = ("customer_not_found", 404)
    PRODUCT_UNAVAILABLE = ("product_unavailable", 404)
    CART_CONVERTED = ("cart_converted", 409)
    INVALID_TRANSITION = ("invalid_transition", 409)
    # Discount codes, for the seller (discounts.py): each refusal names the field it concerns.
    DISCOUNT_NOT_FOUND = ("discount_not_found", 404)
    INVALID_DISCOUNT_CODE = ("invalid_discount_code", 400)
    DISCOUNT_CODE_TAKEN = ("discount_code_taken", 409)
    INVALID_DISCOUNT_KIND = ("invalid_discount_kind", 400)
    INVALID_DISCOUNT_VALUE = ("invalid_discount_value", 400)
    INVALID_MIN_SUBTOTAL = ("invalid_min_subtotal", 400)
    INVALID_DISCOUNT_DATES = ("invalid_discount_dates", 400)
    INVALID_MAX_USES = ("invalid_max_uses", 400)
    INVALID_MAX_USES_PER_CUSTOMER = ("invalid_max_uses_per_customer", 400)
    # Discount codes, for the buyer (discount_check): why a code does not apply.
    DISCOUNT_INVALID = ("discount_invalid", 400)
    DISCOUNT_EXPIRED = ("discount_expired", 400)
    DISCOUNT_EXHAUSTED = ("discount_exhausted", 400)
    DISCOUNT_MIN_SUBTOTAL = ("discount_min_subtotal", 400)
    DISCOUNT_NOT_YOURS = ("discount_not_yours", 400)
    # The code's last use went to another order between the check and placing (discount_redeem).
    DISCOUNT_USED_UP = ("discount_used_up", 409)
    # Stock (stock.py): more units asked for than the store has left.
    INSUFFICIENT_STOCK = ("insufficient_stock", 409)
    # Payment (payment.py): the method is not enabled, or the change does not follow.
    PAYMENT_METHOD_UNAVAILABLE = ("payment_method_unavailable", 400)
    INVALID_PAYMENT_TRANSITION = ("invalid_payment_transition", 409)


class OrdersError(ApplicationError):
    """Raised with an `OrdersErrorCode` member, which carries the answer's status."""

    def __init__(self, message: str, *, code: OrdersErrorCode, details: dict | None = None):
        super().__init__(message, code=code, details=details)
