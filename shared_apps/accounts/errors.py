"""Every error code the accounts app answers (sign-up, sign-in, API tokens), one status each."""

from saas.api.errors import ErrorCode


class AccountsErrorCode(ErrorCode):
    INVALID_EMAIL = ("invalid_email", 400)
    INVALID_NAME = ("invalid_name", 400)
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
    # The e-mail verification link
    VERIFICATION_LINK_INVALID = ("verification_link_invalid", 400)
    VERIFICATION_LINK_EXPIRED = ("verification_link_expired", 400)
    # The SMS provider (shared_apps/accounts/sms_twilio.py) refused the number (a 400 of its
    # own: not a mobile, a country not enabled, the recipient opted out) ...
    SMS_REJECTED = ("sms_rejected", 400)
    # ... or could not be used at all (our credentials, its outage, a timeout).
    SMS_UNAVAILABLE = ("sms_unavailable", 503)
