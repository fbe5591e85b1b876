"""`make test` on a machine with no PostgreSQL or Redis listening: a fresh clone in a directory
only root can enter, inside a network namespace with only loopback (scripts/services.sh must
start private servers there, the tests must find them, and they must be stopped after)."""

import os
import re
import shutil
import signal
import subprocess

import pytest

from tests.support.live import ROOT

pytestmark = pytest.mark.slow  # a whole `make test` of a part of the suite, in a namespace

PRIVATE_SERVICES = re.compile(
    r"^services: database postgres://postgres@127\.0\.0\.1:(\d+)/seller_suite, "
    r"redis redis://127\.0\.0\.1:(\d+)/0$",
    re.M,
)


def fresh_machine_check(timeout: float = 900) -> tuple[int, str]:
    """Run the script; past the timeout, stop it so that its clean-up (servers, namespace) runs."""
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "fresh_machine_check.sh")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=120)
        output += f"\n(stopped after {timeout} s)"
    return process.returncode, output


def test_make_test_passes_where_nothing_listens():
    # Our machines and CI run as root with iproute2; elsewhere this fails rather than skips,
    # so a gap in the fresh-machine path never passes unnoticed.
    assert os.geteuid() == 0 and shutil.which("ip"), "needs root and iproute2 (ip netns)"
    returncode, output = fresh_machine_check()

    assert returncode == 0, output[-6000:]
    ports = PRIVATE_SERVICES.findall(output)
    assert len(ports) == 1, output[-6000:]
    database_port, redis_port = map(int, ports[0])
    # This checkout's private pair (above the ephemeral ports), not the machine's servers.
    assert 61000 <= database_port < 62000 and redis_port == database_port + 1000
    assert re.search(r"^\d+ passed(, \d+ warnings?)? in ", output, re.M), output[-6000:]
    assert "services: stopped the private PostgreSQL" in output
    assert "services: stopped the private Redis" in output
