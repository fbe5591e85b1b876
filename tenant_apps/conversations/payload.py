"""Validation and rendering of a chat payload.

Rules, in the order they are checked (the first one that fails names the error code):
1. 1-300 characters after trimming (`payload_empty`, `payload_too_long`);
2. no control characters, line breaks included (`payload_control_character`);
3. printable text only: letters, marks, digits, punctuation, symbols (emoji are symbols),
   spaces and the zero-width joiner that emoji sequences use (`payload_not_printable`);
4. no HTML tags or comments (`payload_html`);
5. placeholders: `{{ username }}` and `{{ discountCode }}` only, any spacing inside the
   braces (`unknown_placeholder`); a stray `{{` or `}}` is `placeholder_malformed`.
"""

import re
import unicodedata
from dataclasses import dataclass

from .errors import ConversationsErrorCode, PayloadError

PAYLOAD_MAX_LENGTH = 300
# The names sellers type inside {{ }}: message text, so `discountCode` is spelt as written.
PLACEHOLDER_USERNAME = "username"
PLACEHOLDER_DISCOUNT_CODE = "discountCode"
PLACEHOLDERS = (PLACEHOLDER_USERNAME, PLACEHOLDER_DISCOUNT_CODE)

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>|<!--|<!\[?[A-Za-z]")
_ZERO_WIDTH_JOINER = "\u200d"
# Letters, marks (Indic vowel signs, emoji variation selectors), numbers, punctuation,
# symbols (emoji, currency) and spaces.
_PRINTABLE_CATEGORIES = frozenset(["L", "M", "N", "P", "S"])


@dataclass(frozen=True)
class ParsedPayload:
    text: str
    placeholders: frozenset[str]


def payload_parse(raw: str) -> ParsedPayload:
    text = raw.strip()
    if not text:
        raise PayloadError("The message is empty.", code=ConversationsErrorCode.PAYLOAD_EMPTY)
    if len(text) > PAYLOAD_MAX_LENGTH:
        raise PayloadError(
            f"The message is longer than {PAYLOAD_MAX_LENGTH} characters.",
            code=ConversationsErrorCode.PAYLOAD_TOO_LONG,
            details={"max_length": PAYLOAD_MAX_LENGTH, "length": len(text)},
        )
    for position, character in enumerate(text):
        category = unicodedata.category(character)
        if category == "Cc":
            raise PayloadError(
                "The message contains a control character.",
                code=ConversationsErrorCode.PAYLOAD_CONTROL_CHARACTER,
                details={"position": position},
            )
        if not (
            category[0] in _PRINTABLE_CATEGORIES
            or category == "Zs"
            or character == _ZERO_WIDTH_JOINER
        ):
            raise PayloadError(
                "The message contains a character that is not printable text.",
                code=ConversationsErrorCode.PAYLOAD_NOT_PRINTABLE,
                details={"position": position, "character": f"U+{ord(character):04X}"},
            )
    if _HTML_TAG.search(text):
        raise PayloadError(
            "The message must not contain HTML tags.", code=ConversationsErrorCode.PAYLOAD_HTML
        )
    names = [match.group(1) for match in _PLACEHOLDER.finditer(text)]
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise PayloadError(
            "The message uses a placeholder that does not exist.",
            code=ConversationsErrorCode.UNKNOWN_PLACEHOLDER,
            details={"unknown": unknown, "allowed": list(PLACEHOLDERS)},
        )
    leftover = _PLACEHOLDER.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        raise PayloadError(
            "The message has an unclosed placeholder; write {{ username }} or {{ discountCode }}.",
            code=ConversationsErrorCode.PLACEHOLDER_MALFORMED,
        )
    return ParsedPayload(text=text, placeholders=frozenset(names))


def payload_render(parsed: ParsedPayload, *, values: dict[str, str]) -> str:
    # One pass: a client's name that itself looks like a placeholder is never expanded.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], parsed.text)
