"""Health, API docs, login page and project hygiene."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from shared_apps.accounts import sms
from shared_apps.accounts.models import Seller
from tests.support.stores import PLATFORM_HOST, api_client, store_host

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("host", [PLATFORM_HOST, "alpha.localhost"])
def test_healthz_reports_database_and_redis(db, host):
    response = api_client(host).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_healthz_is_503_naming_redis_when_redis_is_unreachable(db):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = api_client(PLATFORM_HOST).get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["redis"].startswith("error")


@pytest.mark.parametrize("host, path", [
    (PLATFORM_HOST, "/api/stores"), ("alpha.localhost", "/api/store"),
])  # fmt: skip
def test_openapi_schema_describes_the_hosts_own_routes(db, host, path):
    response = api_client(host).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert path in paths
    other = "/api/store" if host == PLATFORM_HOST else "/api/stores"
    assert other not in paths


@pytest.mark.parametrize("host", [PLATFORM_HOST, "alpha.localhost"])
def test_docs_ui_uses_our_own_assets(db, host):
    response = api_client(host).get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_unknown_api_path_is_a_json_404(db):
    response = api_client(PLATFORM_HOST).get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_browser_login_on_a_store_host_makes_a_session_there(store_a, seller_a):
    client = api_client(store_host(store_a))
    asked = client.post("/login", {"step": "request", "mobile": seller_a.mobile, "next": "/admin/"})
    code = sms.outbox[-1]["text"].rsplit(" ", 1)[-1]

    verified = client.post(
        "/login", {"step": "verify", "mobile": seller_a.mobile, "otp": code, "next": "/admin/"}
    )
    admin = client.get("/admin/")

    assert asked.status_code == 200 and "6-digit code" in asked.content.decode()
    assert verified.status_code == 302 and verified["Location"] == "/admin/"
    assert admin.status_code == 200


def test_browser_login_shows_a_readable_error_for_a_wrong_code(store_a, seller_a):
    client = api_client(store_host(store_a))
    client.post("/login", {"step": "request", "mobile": seller_a.mobile})

    response = client.post("/login", {"step": "verify", "mobile": seller_a.mobile, "otp": "x"})

    assert response.status_code == 400
    assert "Enter the 6-digit code from the SMS." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_browser_login_refuses_an_offsite_next(db):
    client = api_client(PLATFORM_HOST)
    with override_settings(OTP_FIXED_CODE="111111"):
        response = client.post(
            "/login",
            {"step": "verify", "mobile": "+919800000001", "otp": "111111",
             "next": "https://evil.example.com/"},
        )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert Seller.objects.filter(mobile="+919800000001").exists()


def test_no_missing_migrations(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.slow  # runs ruff
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_is_clean(command):
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), *command, "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
