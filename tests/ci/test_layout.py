"""The test suite's own rules (issue 12, point 8): helpers come from tests/support, never from a
conftest.py, and a test that starts a process or a browser is marked slow, so that
`make test-fast` leaves it out."""

import re

from tests.support.live import ROOT

TESTS = ROOT / "tests"
CONFTEST_IMPORT = re.compile(
    r"^\s*from\s+(?:[\w.]*\.)?conftest\s+import|^\s*import\s+[\w.]*conftest", re.M
)
# What starts another process or a browser in this suite.
STARTS_A_PROCESS = re.compile(
    r"\bsubprocess\b|real_gunicorn|gunicorn_server|celery_worker|redis_server|live_server"
)


def suite_files() -> list:
    """The suite's Python files, but the benchmarks (not tests) and these checks themselves."""
    return sorted(
        path
        for path in TESTS.rglob("*.py")
        if "benchmarks" not in path.parts and path.parent != TESTS / "ci"
    )


def test_no_module_imports_from_a_conftest():
    importing = [
        str(path.relative_to(ROOT))
        for path in suite_files()
        if CONFTEST_IMPORT.search(path.read_text())
    ]

    assert importing == []


def test_modules_that_start_processes_mark_their_tests_slow():
    unmarked = [
        str(path.relative_to(ROOT))
        for path in suite_files()
        if path.name.startswith("test_")
        and STARTS_A_PROCESS.search(path.read_text())
        and "mark.slow" not in path.read_text()
    ]

    assert unmarked == []
