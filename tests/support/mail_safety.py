"""Reading the conversation e-mails and the links they carry (unsubscribe, verification)."""

import re
from urllib.parse import urlsplit

FOOTER_SEPARATOR = "\n\n-- \n"


def chat_text(message) -> str:
    """The message as the operator wrote it (rendered), without the unsubscribe footer."""
    text, separator, _ = message.body.partition(FOOTER_SEPARATOR)
    assert separator, f"no unsubscribe footer in {message.body!r}"
    return text


def unsubscribe_url(message) -> str:
    """The List-Unsubscribe link, checked to be the one in the body too."""
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">"), header
    url = header[1:-1]
    assert url in message.body.partition(FOOTER_SEPARATOR)[2]
    return url


def path_of(url: str) -> str:
    return urlsplit(url).path


def link_in(text: str, path_part: str) -> str:
    """The one URL in `text` whose path contains `path_part`."""
    [url] = [u for u in re.findall(r"https?://\S+", text) if path_part in u]
    return url
