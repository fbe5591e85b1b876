"""gunicorn for one web container; scale out with more containers, not more workers.

https://docs.gunicorn.org/en/stable/settings.html
"""

import os
import re

from gunicorn import glogging

bind = "0.0.0.0:8000"
# Each worker holds one persistent database connection (CONN_MAX_AGE): workers x replicas
# is the web share of the connection budget (README, "Scaling").
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Import the app once in the master: workers fork ready (and share its memory), and a broken
# release fails at start instead of in every worker.
preload_app = True
worker_tmp_dir = "/dev/shm"  # heartbeat files off the container's overlay filesystem
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 25  # finish in-flight requests within Kubernetes' 30 s termination grace
# Recycle workers now and then so slow leaks never reach the memory limit; the jitter keeps
# them from restarting together.
max_requests = 2000
max_requests_jitter = 200
# Only nginx / the ingress reach the pods; they set X-Forwarded-* themselves.
forwarded_allow_ips = "*"
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms host=%({host}i)s'

# The chart pages carry a secret in their path (/users/<share key or API token>/repos): the
# access log writes /users/<redacted>/... in the request line, the path, the referrer and every
# other atom. A format string cannot rewrite a path, so the logger class does it.
# https://docs.gunicorn.org/en/stable/settings.html#logger-class
# The same pattern as saas/log_filters.py (Django's own log); a test holds them equal.
CHART_KEY_IN_PATH = re.compile(r"""((?:^|[\s"']|://[^/\s"']*)/users/)[^/?#\s"']+""")


def path_redact(text: str) -> str:
    """`/users/<key>/…` becomes `/users/<redacted>/…` wherever a path starts with it."""
    return CHART_KEY_IN_PATH.sub(r"\1<redacted>", text)


class RedactingLogger(glogging.Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: path_redact(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


logger_class = RedactingLogger
