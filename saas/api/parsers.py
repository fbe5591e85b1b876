"""The JSON parser of every API: DRF's, refusing text no service can store.

JSON can carry half of a surrogate pair (`\\ud800` alone) inside a string; Python parses it,
no field refuses it, and encoding it for PostgreSQL or an e-mail then fails (a 500 from
whichever service got the string first). It is never text, so the parser refuses it for every
view at once: 400 `invalid_unicode`, with `details.field` naming where it was. (A NUL,
`\\u0000`, is refused by the fields that read it, with `null_characters_not_allowed`: an
unknown field holding one is ignored like any unknown field.) Only a body that spells a
surrogate escape is walked, so ordinary bodies cost one byte search.
"""

import io
import re

from rest_framework import parsers

from .errors import ApplicationError

_SUSPECT_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_UNSTORABLE = re.compile("[\ud800-\udfff]")

SURROGATE_MESSAGE = "The request holds half of a Unicode surrogate pair, which no field accepts."


def _first_unstorable(value, where: str = "body") -> str | None:
    """Where the first string (or key) holding a lone surrogate is, or None."""
    if isinstance(value, str):
        return where if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, child in items:
        if isinstance(key, str) and _UNSTORABLE.search(key):
            return where
        inner = _first_unstorable(child, f"{where}.{key}")
        if inner:
            return inner
    return None


class StrictJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if _SUSPECT_ESCAPE.search(raw):
            where = _first_unstorable(data)
            if where:
                details = {"field": where.removeprefix("body.")}
                raise ApplicationError(SURROGATE_MESSAGE, code="invalid_unicode", details=details)
        return data
