"""Every error code the client conversations tool answers with, each with its one status."""

from saas.api.errors import ApplicationError, ErrorCode


class ConversationsErrorCode(ErrorCode):
    # Clients and discount codes
    INVALID_NAME = ("invalid_name", 400)
    INVALID_TIMEZONE = ("invalid_timezone", 400)
    INVALID_MOBILE = ("invalid_mobile", 400)
    INVALID_DISCOUNT_CODE = ("invalid_discount_code", 400)
    CLIENT_EXISTS = ("client_exists", 409)
    DISCOUNT_CODE_TAKEN = ("discount_code_taken", 409)
    # Chats: the payload rules, in the order payload.py checks them
    PAYLOAD_EMPTY = ("payload_empty", 400)
    PAYLOAD_TOO_LONG = ("payload_too_long", 400)
    PAYLOAD_CONTROL_CHARACTER = ("payload_control_character", 400)
    PAYLOAD_NOT_PRINTABLE = ("payload_not_printable", 400)
    PAYLOAD_HTML = ("payload_html", 400)
    UNKNOWN_PLACEHOLDER = ("unknown_placeholder", 400)
    PLACEHOLDER_MALFORMED = ("placeholder_malformed", 400)
    DISCOUNT_CODE_MISSING = ("discount_code_missing", 400)
    INVALID_USER = ("invalid_user", 400)
    CONVERSATION_CLOSED = ("conversation_closed", 409)
    CONVERSATION_OPEN = ("conversation_open", 409)
    CLIENT_UNSUBSCRIBED = ("client_unsubscribed", 409)
    # The one-click unsubscribe link of our e-mails (shown on its page)
    UNSUBSCRIBE_LINK_INVALID = ("unsubscribe_link_invalid", 400)
    UNSUBSCRIBE_LINK_EXPIRED = ("unsubscribe_link_expired", 400)
    # Look-ups
    CLIENT_NOT_FOUND = ("client_not_found", 404)
    OPERATOR_NOT_FOUND = ("operator_not_found", 404)
    CONVERSATION_NOT_FOUND = ("conversation_not_found", 404)


class ConversationError(ApplicationError):
    """Raised with a `ConversationsErrorCode` member, which carries the answer's status."""

    def __init__(self, message: str, *, code: ConversationsErrorCode, details: dict | None = None):
        super().__init__(message, code=code, details=details)


class PayloadError(ConversationError):
    """A chat payload broke one of the rules in payload.py."""
