"""The rate settings as a deployment sets them: read from the environment (each test starts
Django in a process of its own), all listed in .env.example, the trusted proxy count."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.saas.test_rate_limits import DEFAULT_RATES

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # every test starts a Python process


def test_every_rate_is_read_from_the_environment_and_listed_in_env_example():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "saas.settings.test"}
    env.update({name: f"{n + 100}/hour" for n, name in enumerate(DEFAULT_RATES)})
    script = "import django; django.setup(); from django.conf import settings as s; "
    script += f"print([getattr(s, n) for n in {list(DEFAULT_RATES)!r}])"

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str([f"{n + 100}/hour" for n in range(len(DEFAULT_RATES))])
    example = (ROOT / ".env.example").read_text()
    assert [f"# {name}={rate}" in example for name, rate in DEFAULT_RATES.items()] == [True] * 9


def test_trusted_proxy_count_feeds_drf_and_the_old_name_still_works():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "saas.settings.test"}
    env.pop("TRUSTED_PROXY_COUNT", None)
    script = "import django; django.setup(); from django.conf import settings as s; "
    script += "print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'])"

    def run(**extra) -> str:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    assert run(TRUSTED_PROXY_COUNT="2") == "2 2"
    assert run(SIGNUP_TRUSTED_PROXY_COUNT="1") == "1 1"
    assert run(TRUSTED_PROXY_COUNT="2", SIGNUP_TRUSTED_PROXY_COUNT="1") == "2 2"
