"""Logging filters of the app's own log (settings LOGGING).

The chart pages carry a secret in their path (/users/<share key or API token>/repos), and
Django logs the path of every 4xx and 5xx answer ("Not Found: /users/…"): the filter writes
/users/<redacted>/… instead, like the access logs of gunicorn and nginx (deploy/).
"""

import logging
import re

CHART_KEY_IN_PATH = re.compile(r"""((?:^|[\s"']|://[^/\s"']*)/users/)[^/?#\s"']+""")


def path_redact(text: str) -> str:
    """`/users/<key>/…` becomes `/users/<redacted>/…` wherever a path starts with it."""
    return CHART_KEY_IN_PATH.sub(r"\1<redacted>", text)


class ChartKeyRedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = path_redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
