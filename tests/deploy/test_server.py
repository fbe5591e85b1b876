"""A real gunicorn with deploy/gunicorn.conf.py and production settings, spoken to over plain
HTTP the way probes and the proxy do."""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import yaml

from tests.benchmarks.common import free_port
from tests.support.deploy import PRODUCTION_ROOT_DOMAIN, ROOT, production_env

HSTS = "max-age=31536000; includeSubDomains; preload"


# Starts gunicorn and the entrypoint script.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def production_server(production_db_env):
    port = free_port()
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "saas.wsgi:application",
        ],
        cwd=ROOT,
        env=production_env(WEB_CONCURRENCY="1", **production_db_env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Ready once the one worker has answered a request (the first one loads the URLconf).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz?probe=ready", PRODUCTION_ROOT_DOMAIN)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def get(port: int, path: str, host: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


@pytest.mark.parametrize(
    "host",
    [PRODUCTION_ROOT_DOMAIN, "127.0.0.1", f"alpha.{PRODUCTION_ROOT_DOMAIN}"],
)
def test_healthz_answers_over_plain_http_without_a_redirect(production_server, host):
    status, _, body = get(production_server, "/healthz", host)

    assert status == 200
    assert json.loads(body) == {"database": "ok", "redis": "ok"}


def test_readiness_probe_from_the_manifest_answers(production_server):
    manifest = next(yaml.safe_load_all((ROOT / "deploy/k8s/web.yaml").read_text()))
    probe = manifest["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]

    # The manifest names the production root domain; this server's root domain is localhost.
    status, _, body = get(production_server, probe["path"], PRODUCTION_ROOT_DOMAIN)

    assert status == 200
    assert json.loads(body) == {"database": "ok"}


def test_compose_healthcheck_command_passes(production_server):
    compose = yaml.safe_load((ROOT / "deploy/docker-compose.yml").read_text())
    command = compose["services"]["web"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "python", "-c"]
    script = command[3].replace("127.0.0.1:8000", f"127.0.0.1:{production_server}")

    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"SAAS_ROOT_DOMAIN": PRODUCTION_ROOT_DOMAIN},
        capture_output=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr


def test_other_plain_http_requests_are_redirected_to_https(production_server):
    status, headers, _ = get(production_server, "/api/stores", PRODUCTION_ROOT_DOMAIN)

    assert status == 301
    assert headers["Location"] == f"https://{PRODUCTION_ROOT_DOMAIN}/api/stores"


def test_https_behind_the_proxy_is_served_with_hsts(production_server):
    status, headers, body = get(
        production_server,
        "/api/stores",
        f"alpha.{PRODUCTION_ROOT_DOMAIN}",
        {"X-Forwarded-Proto": "https"},
    )

    # The store host has no /api/stores route: the app answered (no redirect), with HSTS.
    assert status == 404
    assert headers["Strict-Transport-Security"] == HSTS
    assert json.loads(body)["code"] == "not_found"


def test_a_host_outside_allowed_hosts_gets_an_empty_404(production_server):
    status, _, body = get(production_server, "/healthz", "attacker.example.net")

    assert status == 404
    assert body == b""


def test_a_subdomain_without_a_store_gets_unknown_host(production_server):
    status, _, body = get(production_server, "/healthz", f"nostore.{PRODUCTION_ROOT_DOMAIN}")

    assert status == 404
    assert json.loads(body)["code"] == "unknown_host"


def test_entrypoint_migrate_role_runs_on_a_migrated_database(production_db_env):
    # Everything is already applied: the role must still pass every step (idempotent), which
    # proves the commands and their options as the image runs them.
    env = production_env(**production_db_env)
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"

    result = subprocess.run(
        [str(ROOT / "deploy" / "entrypoint.sh"), "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Platform tenant and store template are in place." in result.stdout
    # The catalog executor finds every store up to date with one query, and says so.
    assert re.search(r"\[catalog:\*\] \d+ schemas, 0 behind", result.stdout), result.stdout
