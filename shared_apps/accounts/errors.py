"""Every error code the accounts app answers (sign-up, sign-in, API tokens), one status each."""

from saas.api.errors import ErrorCode


class AccountsErrorCode(ErrorCode):
    INVALID_EMAIL = ("invalid_email", 400)
    EMAIL_TAKEN = ("email_taken", 400)
    ACCOUNT_DISABLED = ("account_disabled", 403)
    TOKEN_NOT_FOUND = ("not_found", 404)
    INVALID_MOBILE = ("invalid_mobile", 400)
    OTP_RESEND_TOO_SOON = ("otp_resend_too_soon", 429)
    OTP_SEND_LIMIT = ("otp_send_limit", 429)
    OTP_NOT_REQUESTED = ("otp_not_requested", 400)
    OTP_LOCKED = ("otp_locked", 400)
    OTP_EXPIRED = ("otp_expired", 400)
    OTP_INVALID = ("otp_invalid", 400)
