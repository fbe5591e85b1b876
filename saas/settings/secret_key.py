"""Development's secret key: made once per checkout, kept in `.local/secret_key` (mode 600).

Nothing in the repository signs anything: every checkout gets its own random key on its first
run, and every later run (web, worker, beat, manage.py) reads the same one, so sessions and
tokens survive a restart.
"""

import contextlib
import os
import secrets
from pathlib import Path


def secret_key_file_read_or_create(path: Path) -> str:
    """The key in `path`; on first use a new random one, written there with mode 600.

    Safe when several processes start at once (`make run` starts three): the key is written
    to a private temporary file and linked into place, which fails if another process got
    there first; then everyone reads the winner's key.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(64) + "\n")
            # Fails if another process made it first: then theirs is the key.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    key = path.read_text().strip()
    if len(key) < 50:
        raise ValueError(f"{path} holds no usable secret key; delete it to get a new one.")
    return key
