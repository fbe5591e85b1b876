"""saas.settings.production: the deployment checklist passes, and weak set-ups refuse to run."""

import subprocess
import sys

import pytest

from tests.support.deploy import ROOT, manage, production_env

pytestmark = pytest.mark.slow  # every check runs manage.py in a process of its own

NO_ISSUES = "System check identified no issues (0 silenced)."


def test_check_deploy_has_no_warnings_with_a_strong_secret_and_no_fixed_otp():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == NO_ISSUES
    assert "WARNING" not in result.stderr


def test_check_deploy_fails_when_a_fixed_otp_code_is_set():
    # No --fail-level: the fixed code is an error, so the default level fails.
    result = manage("check", "--deploy", env=production_env(OTP_FIXED_CODE="123456"))

    assert result.returncode == 1
    assert "accounts.E001" in result.stderr
    assert "OTP_FIXED_CODE is set" in result.stderr
    assert "identified 1 issue (0 silenced)" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=production_env(DJANGO_SECRET_KEY=None))

    assert result.returncode == 1
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_with_a_short_secret_key():
    result = manage("check", env=production_env(DJANGO_SECRET_KEY="change-me"))

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be a random value of 50+ characters." in result.stderr


def test_allowed_hosts_follow_the_root_domain():
    script = "import django; django.setup(); from django.conf import settings as s; "
    script += "print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(SAAS_ROOT_DOMAIN="shop.example.com", SAAS_PLATFORM_EXTRA_HOSTS=""),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['shop.example.com', '.shop.example.com'] ['https://shop.example.com']"
    )
