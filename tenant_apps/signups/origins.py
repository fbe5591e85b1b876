"""Web origins (`scheme://host[:port]`) as browsers send them in `Origin`, compared exactly."""

from collections.abc import Collection
from urllib.parse import urlsplit

from .errors import SignupsError, SignupsErrorCode

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_normalize(value: str) -> str | None:
    """`scheme://host[:port]` in lower case without the scheme's default port, or None.

    Anything with a path (other than "/"), a query, a fragment or credentials is not an origin.
    """
    value = (value or "").strip()
    if not value or len(value) > 255:
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    if any(char.isspace() for char in value) or "*" in host:
        return None
    if ":" in host:  # an IPv6 literal keeps its brackets in an origin
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def origin_from_url(url: str) -> str | None:
    """The origin a page URL (e.g. a Referer) belongs to."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return origin_normalize(f"{parts.scheme}://{parts.netloc}")


def request_origin(request) -> str | None:
    """The calling page's origin: `Origin`, or the Referer's origin when Origin is absent."""
    origin = request.headers.get("Origin")
    if origin:
        return origin_normalize(origin)
    return origin_from_url(request.headers.get("Referer", ""))


def origin_allowed_check(origin: str | None, *, allowed: Collection[str]) -> str:
    """The calling origin when `allowed` holds it exactly; SignupsError otherwise."""
    if origin is None or origin not in allowed:
        raise SignupsError(
            "This website is not allowed to use this signup widget.",
            code=SignupsErrorCode.ORIGIN_NOT_ALLOWED,
        )
    return origin
