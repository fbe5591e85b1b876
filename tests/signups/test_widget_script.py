"""The built widget is current, and its file is served with cross-origin caching headers."""

import json
import shlex
import subprocess
from pathlib import Path

import pytest

from tenant_apps.signups.models import WidgetSite
from tenant_apps.signups.services import widget_site_create_default
from tests.support.stores import api_client, in_store, store_host

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "static" / "widgets" / "signup.v1.js"
SCRIPT_URL = "/static/widgets/signup.v1.js"


@pytest.mark.slow  # runs esbuild
def test_committed_bundle_matches_a_fresh_build(tmp_path):
    command = json.loads((ROOT / "package.json").read_text())["scripts"]["build:widget"]
    args = shlex.split(command)
    outfile = f"--outfile={BUILT.relative_to(ROOT)}"
    assert args[0] == "esbuild" and outfile in args
    args = [str(ROOT / "node_modules" / ".bin" / "esbuild"), *args[1:]]
    args[args.index(outfile)] = f"--outfile={tmp_path / 'fresh.js'}"

    subprocess.run(args, cwd=ROOT, check=True, capture_output=True, timeout=60)

    fresh = (tmp_path / "fresh.js").read_bytes()
    assert fresh == BUILT.read_bytes(), "static/widgets/signup.v1.js is stale: npm run build:widget"


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost"])
def test_script_is_served_with_cors_safe_caching_headers(store_a, host):
    client = api_client(host)

    response = client.get(SCRIPT_URL, HTTP_ORIGIN="https://shop.alpha.example")

    assert response.status_code == 200
    assert response.content == BUILT.read_bytes()
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300, stale-while-revalidate=86400"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    # One cached copy serves every site: nothing varies by origin or cookie, nothing is set.
    assert "Vary" not in response
    assert "Set-Cookie" not in response


def test_script_answers_304_to_a_matching_etag(store_a):
    client = api_client("localhost")
    etag = client.get(SCRIPT_URL)["ETag"]

    response = client.get(SCRIPT_URL, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Access-Control-Allow-Origin"] == "*"


def test_script_refuses_post(store_a):
    assert api_client(store_host(store_a)).post(SCRIPT_URL).status_code == 405


def test_default_site_allows_the_store_link_and_in_development_the_sample_page(store_a, settings):
    settings.DEBUG = True
    settings.SIGNUP_WIDGET_DEFAULT_EXTRA_ORIGINS = None
    with in_store(store_a):
        development = widget_site_create_default(store=store_a)
    settings.DEBUG = False
    with in_store(store_a):
        production = widget_site_create_default(store=store_a)
    settings.SIGNUP_WIDGET_DEFAULT_EXTRA_ORIGINS = ["https://www.alpha-shop.example"]
    with in_store(store_a):
        configured = widget_site_create_default(store=store_a)

    assert development.allowed_origins == ["http://alpha.localhost:8000", "http://localhost:8081"]
    assert production.allowed_origins == ["http://alpha.localhost:8000"]
    assert configured.allowed_origins == [
        "http://alpha.localhost:8000",
        "https://www.alpha-shop.example",
    ]
    assert development.key != production.key != configured.key


def test_the_store_template_has_no_site(db):
    from django_tenants.utils import schema_context

    with schema_context("store_template"):
        assert WidgetSite.objects.count() == 0
