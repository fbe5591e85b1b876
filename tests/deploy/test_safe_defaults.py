"""Safe defaults: no secret key in the repository, production unless told otherwise, CSRF
trusts the platform only, and check --deploy refuses an SMS backend that sends nothing."""

import stat
import subprocess
import sys

import pytest

from saas.settings.secret_key import secret_key_file_read_or_create
from tests.support.deploy import ROOT, manage, production_env

PRINT_SETTINGS = (
    "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG, "
    "len(s.SECRET_KEY), s.SIMPLE_JWT['SIGNING_KEY'] == s.SECRET_KEY)"
)
PRINT_KEY = "import django; django.setup(); from django.conf import settings; "
PRINT_KEY += "print(settings.SECRET_KEY)"


def python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def without_settings_module(**overrides) -> dict:
    env = production_env(**overrides)
    del env["DJANGO_SETTINGS_MODULE"]
    return env


# --- the development key ------------------------------------------------------------------


def test_the_development_key_is_made_once_with_mode_600_and_reused(tmp_path):
    path = tmp_path / ".local" / "secret_key"

    first = secret_key_file_read_or_create(path)
    second = secret_key_file_read_or_create(path)

    assert first == second
    assert len(first) >= 80
    assert path.read_text() == first + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no temporary left


@pytest.mark.slow
def test_processes_starting_together_share_one_key(tmp_path):
    path = tmp_path / "secret_key"
    # Like `make run`'s web, worker and beat starting at once (the module alone, no Django).
    code = "import runpy, sys; module = runpy.run_path(sys.argv[1]); "
    code += "print(module['secret_key_file_read_or_create'](sys.argv[2]))"
    module = ROOT / "saas" / "settings" / "secret_key.py"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(module), str(path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]

    keys = {process.communicate(timeout=60)[0].strip() for process in processes}

    assert keys == {path.read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_damaged_key_file_is_refused_not_used(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("short\n")

    with pytest.raises(ValueError, match="holds no usable secret key"):
        secret_key_file_read_or_create(path)


def test_the_repository_holds_no_secret_key():
    base = (ROOT / "saas" / "settings" / "base.py").read_text()

    assert 'SECRET_KEY = env("DJANGO_SECRET_KEY", default="")' in base
    assert "dev-only-secret-key" not in base


@pytest.mark.slow
def test_local_settings_make_the_key_file_on_first_run_and_reuse_it(tmp_path):
    path = tmp_path / ".local" / "secret_key"
    env = production_env(
        DJANGO_SETTINGS_MODULE="saas.settings.local",
        DJANGO_SECRET_KEY=None,
        DJANGO_SECRET_KEY_FILE=str(path),
    )
    first = python(PRINT_KEY, env)
    second = python(PRINT_KEY, env)

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip() == path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- production unless told otherwise -------------------------------------------------------


@pytest.mark.slow
def test_manage_py_without_a_settings_module_runs_production():
    result = manage("shell", "--no-imports", "-c", PRINT_SETTINGS, env=without_settings_module())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "saas.settings.production False 86 True"


@pytest.mark.slow
def test_manage_py_without_a_settings_module_or_key_refuses_to_start():
    result = manage("check", env=without_settings_module(DJANGO_SECRET_KEY=None))

    assert result.returncode == 1
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr
    assert "DJANGO_SETTINGS_MODULE=saas.settings.local" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("module", ["saas.wsgi", "saas.asgi", "saas.celery"])
def test_the_entry_points_default_to_production(module):
    result = python(f"import {module}; {PRINT_SETTINGS}", without_settings_module())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "saas.settings.production False 86 True"


@pytest.mark.parametrize(
    "key",
    ["x" * 60, "django-insecure-" + "a1b2c3d4e5" * 5, "abab" * 20],
)
@pytest.mark.slow
def test_production_refuses_a_weak_key(key):
    result = manage("check", env=production_env(DJANGO_SECRET_KEY=key))

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be a random value of 50+ characters." in result.stderr


def test_make_and_run_all_say_the_development_settings():
    makefile = (ROOT / "Makefile").read_text()
    run_all = (ROOT / "scripts" / "run_all.sh").read_text()

    assert "export DJANGO_SETTINGS_MODULE ?= saas.settings.local" in makefile
    assert "export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-saas.settings.local}" in run_all
    for target in ("test:", "test-fast:", "bench:"):
        recipe = makefile.split(f"\n{target}", 1)[1].split("\n\n", 1)[0]
        assert "DJANGO_SETTINGS_MODULE=saas.settings.test" in recipe, target


# --- CSRF and SMS -------------------------------------------------------------------------


@pytest.mark.slow
def test_csrf_trusts_the_platform_host_only():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.CSRF_TRUSTED_ORIGINS)"

    result = python(code, production_env(SAAS_ROOT_DOMAIN="shop.example.com"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['https://shop.example.com']"


@pytest.mark.slow
def test_check_deploy_fails_with_the_console_sms_backend():
    result = manage(
        "check",
        "--deploy",
        env=production_env(SMS_BACKEND="shared_apps.accounts.sms.ConsoleSmsBackend"),
    )

    assert result.returncode == 1
    assert "accounts.E002" in result.stderr
    assert "SMS_BACKEND is shared_apps.accounts.sms.ConsoleSmsBackend" in result.stderr
    assert "identified 1 issue (0 silenced)" in result.stderr


@pytest.mark.slow
def test_production_sends_texts_through_twilio_by_default():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.SMS_BACKEND)"

    result = python(code, production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shared_apps.accounts.sms_twilio.TwilioSmsBackend"
