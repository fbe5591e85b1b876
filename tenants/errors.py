"""Every error code the stores API answers, one status each."""

from saas.api.errors import ErrorCode


class StoreErrorCode(ErrorCode):
    STORE_NOT_FOUND = ("store_not_found", 404)
    INVALID_NAME = ("invalid_name", 400)
    RESERVED_NAME = ("reserved_name", 400)
    INVALID_TIMEZONE = ("invalid_timezone", 400)
    INVALID_ADDRESS = ("invalid_address", 400)
    # Selling settings (tenants/store_settings.py)
    INVALID_CURRENCY = ("invalid_currency", 400)
    INVALID_DELIVERY_FEE = ("invalid_delivery_fee", 400)
    INVALID_FREE_DELIVERY_ABOVE = ("invalid_free_delivery_above", 400)
    INVALID_TAX_RATE = ("invalid_tax_rate", 400)
    INVALID_UPI_ID = ("invalid_upi_id", 400)
    NO_PAYMENT_METHOD = ("no_payment_method", 400)
    # The team (tenants/team.py)
    INVALID_MOBILE = ("invalid_mobile", 400)
    INVALID_ROLE = ("invalid_role", 400)
    MEMBER_NOT_FOUND = ("member_not_found", 404)
    MEMBER_EXISTS = ("member_exists", 409)
    # Removing or demoting the only owner would leave the store with nobody to run it.
    LAST_OWNER = ("last_owner", 409)
    # Periodic jobs (tenants/schedules.py)
    SCHEDULE_NOT_FOUND = ("schedule_not_found", 404)
    INVALID_SCHEDULE = ("invalid_schedule", 400)
