"""Access logs never hold the key of a chart link: gunicorn's logger class (on a request that
gunicorn parsed, then in a real gunicorn) and nginx's log format write /users/<redacted>/."""

import datetime
import http.client
import logging
import runpy
import signal
import socket
import subprocess
import time

import pytest
import yaml
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser
from gunicorn.http.wsgi import create

from saas import log_filters
from tests.benchmarks.common import free_port
from tests.support.deploy import PRODUCTION_ROOT_DOMAIN, ROOT, production_env

GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
NGINX_PROXY = ROOT / "deploy" / "nginx" / "proxy" / "default.conf.template"
KEY = "shr_0123456789abcdef0123456789abcdef"


def gunicorn_conf() -> dict:
    return runpy.run_path(str(GUNICORN_CONF))


def logged_line(raw_request: bytes) -> tuple[str, dict]:
    """What the configured logger writes for `raw_request`, parsed by gunicorn itself."""
    conf = gunicorn_conf()
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", conf["access_log_format"])
    logger = conf["logger_class"](cfg)
    request = next(iter(RequestParser(cfg, iter([raw_request]), ("203.0.113.9", 5555))))
    left, right = socket.socketpair()
    try:
        response, environ = create(request, left, ("203.0.113.9", 5555), ("127.0.0.1", 8000), cfg)
        response.status = "404 Not Found"
        response.sent = 12
        atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=3))
        return cfg.access_log_format % logger.atoms_wrapper_class(atoms), atoms
    finally:
        left.close()
        right.close()


def test_the_logger_class_redacts_the_key_in_every_atom():
    line, atoms = logged_line(
        f"GET /users/{KEY}/repos/42?start=2024-01-01 HTTP/1.1\r\n"
        f"Host: alpha.{PRODUCTION_ROOT_DOMAIN}\r\n"
        f"Referer: https://alpha.{PRODUCTION_ROOT_DOMAIN}/users/{KEY}/repos\r\n\r\n".encode()
    )

    assert line == (
        '203.0.113.9 "GET /users/<redacted>/repos/42?start=2024-01-01 HTTP/1.1" 404 12 3ms '
        f"host=alpha.{PRODUCTION_ROOT_DOMAIN}"
    )
    assert atoms["U"] == "/users/<redacted>/repos/42"
    assert atoms["f"] == f"https://alpha.{PRODUCTION_ROOT_DOMAIN}/users/<redacted>/repos"
    assert not [name for name, value in atoms.items() if KEY in str(value)]


@pytest.mark.parametrize(
    "path",
    ["/api/users/create", "/api/repos", "/healthz?next=/users/", "/static/users/x.png"],
)
def test_other_paths_are_logged_as_they_are(path):
    line, _ = logged_line(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())

    assert f'"GET {path} HTTP/1.1"' in line


def test_gunicorn_conf_names_the_redacting_logger():
    conf = gunicorn_conf()

    assert conf["logger_class"] is conf["RedactingLogger"]
    assert conf["path_redact"](f"/users/{KEY}") == "/users/<redacted>"
    assert conf["CHART_KEY_IN_PATH"].pattern == log_filters.CHART_KEY_IN_PATH.pattern


def test_djangos_log_of_an_answer_holds_no_key():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/users/{KEY}/repos",),
        None,
    )

    assert log_filters.ChartKeyRedactFilter().filter(record) is True
    assert record.getMessage() == "Not Found: /users/<redacted>/repos"


def test_nginx_logs_the_redacted_request_and_referrer_in_both_servers():
    template = NGINX_PROXY.read_text()

    assert "map $request_uri $redacted_request_uri {" in template
    assert '"~^/users/[^/?]+(?<rest>.*)$" "/users/<redacted>$rest";' in template
    assert "map $http_referer $redacted_referer {" in template
    log_format = template.split("log_format redacted ", 1)[1].split(";", 1)[0]
    assert "$redacted_request_uri" in log_format and "$redacted_referer" in log_format
    for variable in ("$request ", "$request_uri", "$http_referer", "$uri"):
        assert variable not in log_format
    # Each server block (the HTTP redirect and the HTTPS proxy) logs with it.
    servers = template.split("server {")[1:]
    assert len(servers) == 2
    assert all("access_log /var/log/nginx/access.log redacted;" in s for s in servers)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_real_gunicorn_writes_no_key_in_its_access_log(production_db_env, tmp_path):
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", str(GUNICORN_CONF),
             "--bind", f"127.0.0.1:{port}", "saas.wsgi:application"],
            cwd=ROOT, env=production_env(WEB_CONCURRENCY="1", **production_db_env),
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            status = _get_when_up(port, f"/users/{KEY}/repos", f"alpha.{PRODUCTION_ROOT_DOMAIN}")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    # Whatever the page answers (without collected static files production cannot render it):
    # the access line and Django's own log of the answer hold no key.
    text = log_path.read_text()
    assert f'"GET /users/<redacted>/repos HTTP/1.1" {status}' in text
    assert "/users/<redacted>/repos" in text.split("django.request: ", 1)[1]
    assert KEY not in text


def _get_when_up(port: int, path: str, host: str) -> int:
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(
                "GET",
                path,
                headers={
                    "Host": host,
                    "X-Forwarded-Proto": "https",
                    "Referer": f"https://{host}{path}",
                },
            )
            status = connection.getresponse().status
            connection.close()
            return status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_ingress_controller_settings_log_the_redacted_request_and_referrer():

    data = yaml.safe_load((ROOT / "deploy/k8s/ingress-nginx/logging.yaml").read_text())["data"]

    assert '"~^/users/[^/?]+(?<rest>.*)$" "/users/<redacted>$rest";' in data["http-snippet"]
    assert "map $http_referer $redacted_referer {" in data["http-snippet"]
    log_format = data["log-format-upstream"]
    assert '"$request_method $redacted_request_uri $server_protocol"' in log_format
    assert '"$redacted_referer"' in log_format
    for variable in ("$request ", "$request_uri", "$http_referer"):
        assert variable not in log_format
