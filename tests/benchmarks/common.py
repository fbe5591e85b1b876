"""Shared pieces of the benchmarks: a benchmark database, a real gunicorn, a load generator.

Every benchmark measures ours and a baseline in one run and reports rows of
(figure, ours, baseline, ratio). `make bench` runs them all and prints one table.
"""

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A checkout sharing the PostgreSQL server with others can name its own benchmark database.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "seller_suite_bench")


@dataclass
class Row:
    figure: str
    ours: float
    baseline: float
    unit: str = ""
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("nan")


def django_setup() -> dict:
    """Point Django at a dedicated benchmark database (created and migrated if missing)."""
    env_file = ROOT / ".local" / "services.env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            os.environ.setdefault(key, value)
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/seller_suite")
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + BENCH_DATABASE
    os.environ["DJANGO_SETTINGS_MODULE"] = "saas.settings.test"
    os.environ["OTP_FIXED_CODE"] = ""
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    os.environ["TEST_REDIS_URL"] = redis_url.rsplit("/", 1)[0] + "/14"
    import psycopg2

    url = base.rsplit("/", 1)[0]
    conn = psycopg2.connect(url + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    conn.close()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)
    call_command("ensure_platform")
    call_command("migrate_schemas", tenant=True, verbosity=0)
    return dict(os.environ)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(*, workers: int = 4, threads: int = 1, extra_env: dict | None = None):
    """A real gunicorn serving saas.wsgi on a free loopback port; yields the port."""
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "saas.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--threads", str(threads), "--log-level", "warning"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            # Past gunicorn's own 30 s graceful timeout: a worker still busy then is killed.
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class LoadResult:
    requests: int
    statuses: dict
    seconds: float
    latencies: list

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)


def load(
    *,
    port: int,
    host: str,
    method: str,
    path: str,
    total: int,
    concurrency: int,
    headers: dict | None = None,
    body_for=None,
) -> LoadResult:
    """Send `total` requests from `concurrency` keep-alive clients; body_for(i) -> bytes."""
    lock = threading.Lock()
    statuses: dict = {}
    latencies: list = []
    counter = iter(range(total))

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            body = body_for(index) if body_for else None
            started = time.perf_counter()
            try:
                connection.request(
                    method, path, body=body, headers={"Host": host, **(headers or {})}
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(elapsed)
        connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    return LoadResult(total, statuses, time.perf_counter() - started, latencies)


def timed(function, repeat: int) -> list[float]:
    """Wall-clock seconds of `repeat` calls of function()."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    print(f"{'figure':58} {'ours':>12} {'baseline':>12} {'ratio':>8}")
    for row in rows:
        unit = f" {row.unit}" if row.unit else ""
        print(
            f"{row.figure + unit:58} {row.ours:12.3f} {row.baseline:12.3f} {row.ratio:8.2f}"
            + (f"  {row.note}" if row.note else "")
        )
    sys.stdout.flush()
