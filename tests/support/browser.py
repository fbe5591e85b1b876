"""Real headless Chromium (Debian's `chromium` package), driven by Playwright."""

import os
import shutil
from urllib.parse import urlsplit

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        raise RuntimeError("chromium is not installed: run `bash scripts/ensure_chromium.sh`")
    return path


def live_url(live_server, host: str, path: str = "/") -> str:
    """The live server's URL for a given host name (platform or store)."""
    port = urlsplit(live_server.url).port
    return f"http://{host}:{port}{path}"
