"""A local stand-in for GitHub's traffic API, with a clock the test controls.

Every repository has deterministic full-day counts; events are spread evenly over each UTC day,
so what GitHub shows at a moment is exact arithmetic:

* `/traffic/views` and `/traffic/clones` (`per=day`) cover the 14 days (14 x 24 h) before the
  clock: the newest day holds only the events up to the clock, the oldest only those after
  `clock - 14 days`. Days without events are left out, as GitHub does.
* `/traffic/popular/referrers` and `/traffic/popular/paths` depend on the clock's day.
* The `Date` header tells the clock; rate limits name their reset on the same clock.

Failure switches: `dropped_requests` (connection closed without an answer), `server_errors`
(502), `rate_limited_requests` (a primary limit: 403 or 429 with `X-RateLimit-Remaining: 0`
and the reset), `secondary_limited_requests` (403 or 429 saying "secondary rate limit", with
`Retry-After` when `secondary_retry_after` is set), and per-token access (401 unknown token,
404 unknown repository, 403 without push access: GitHub's classic message, or for a
fine-grained `github_pat_` token its message and `X-Accepted-GitHub-Permissions`).

`repository_rename(old, new)` renames (or transfers) a repository as GitHub does: the old
`/repos/<old>/...` answers 301 to `/repositories/<id>/...`, which serves it, and
`GET /repositories/<id>` gives its new `full_name`.

Every request must carry the headers GitHub documents (`REQUIRED_HEADERS`, a `Bearer` token,
a `User-Agent`); without them the fake answers 400 naming the header. `request_headers` keeps
those headers of every request, in order.
"""

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DAY_SECONDS = 86400
WINDOW = timedelta(days=14)
REQUIRED_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
BEARER = re.compile(r"^Bearer (?P<token>\S+)$")
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
FINE_GRAINED_PREFIX = "github_pat_"


@dataclass
class FakeRepository:
    full_name: str
    created: date
    seed: int
    id: int = 0
    push_tokens: set[str] = field(default_factory=set)


def _events(total: int, seconds: float) -> int:
    """Events of a day with `total` events that happened in its first `seconds` seconds."""
    return int(total * max(0.0, min(seconds, DAY_SECONDS)) // DAY_SECONDS)


class FakeGithub:
    def __init__(self, clock: datetime):
        self.clock = clock.astimezone(UTC)
        self.repositories: dict[str, FakeRepository] = {}
        self.known_tokens: set[str] = set()
        self.dropped_requests = 0
        self.server_errors = 0
        self.rate_limited_requests = 0
        self.rate_limit_status = 403
        self.rate_limit_reset_seconds = 600
        self.secondary_limited_requests = 0
        self.secondary_limit_status = 403
        self.secondary_retry_after: int | None = None
        # What a 403 to a fine-grained token says it lacks (GitHub: sets split by ";").
        self.accepted_permissions = "administration=read"
        self.requests: list[str] = []
        self.request_headers: list[dict[str, str]] = []
        # Old full name (lower case) -> id of a renamed or transferred repository.
        self.moved: dict[str, int] = {}
        # Where the redirects of renamed repositories point (None: this fake itself).
        self.redirect_base: str | None = None
        # Demo mode: any repository exists (60 days old) and any token has push access.
        self.open_mode = False
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- set-up ----------------------------------------------------------------------------
    def repository_add(
        self, full_name: str, *, created: date, token: str, seed: int = 1
    ) -> FakeRepository:
        repository = FakeRepository(
            full_name=full_name,
            created=created,
            seed=seed,
            id=1000 + len(self.repositories) + len(self.moved),
            push_tokens={token},
        )
        self.repositories[full_name.lower()] = repository
        self.known_tokens.add(token)
        return repository

    def repository_rename(self, old_name: str, new_name: str) -> FakeRepository:
        """GitHub's rename or transfer: the old name redirects, the numbers stay the same."""
        with self.lock:
            repository = self.repositories.pop(old_name.lower())
            repository.full_name = new_name
            self.repositories[new_name.lower()] = repository
            self.moved[old_name.lower()] = repository.id
            return repository

    def advance(self, **delta) -> None:
        with self.lock:
            self.clock += timedelta(**delta)

    # -- the truth -------------------------------------------------------------------------
    def full_day(self, full_name: str, day: date) -> dict[str, int]:
        """All events of `day` (once the day is over)."""
        repository = self.repositories[full_name.lower()]
        if day < repository.created:
            return {"views": 0, "unique_views": 0, "clones": 0, "unique_clones": 0}
        ordinal, seed = day.toordinal(), repository.seed
        views = 40 + (ordinal * 37 + seed * 101) % 160
        clones = 3 + (ordinal * 13 + seed * 7) % 30
        return {
            "views": views,
            "unique_views": 5 + views * (ordinal % 5 + 2) // 10,
            "clones": clones,
            "unique_clones": 1 + clones // 3,
        }

    def _between(self, full_name: str, day: date, start: datetime, end: datetime) -> dict:
        """Events of `day` that happened in [start, end)."""
        day_start = datetime.combine(day, time(), tzinfo=UTC)
        start_s = (start - day_start).total_seconds()
        end_s = (end - day_start).total_seconds()
        return {
            key: _events(total, end_s) - _events(total, start_s)
            for key, total in self.full_day(full_name, day).items()
        }

    def truth(self, full_name: str, day: date) -> dict[str, int]:
        """Every event of `day` up to the clock: what a perfect keeper has stored by now."""
        day_start = datetime.combine(day, time(), tzinfo=UTC)
        return self._between(full_name, day, day_start, self.clock)

    def window(self, full_name: str) -> dict[date, dict[str, int]]:
        """What GitHub shows now: each day's events inside (clock - 14 days, clock]."""
        start = self.clock - WINDOW
        days = {}
        day = start.date()
        while day <= self.clock.date():
            counts = self._between(full_name, day, start, self.clock)
            if counts["views"] or counts["clones"]:
                days[day] = counts
            day += timedelta(days=1)
        return days

    def referrers(self, full_name: str) -> list[dict]:
        ordinal = self.clock.date().toordinal()
        rows = [
            ("github.com", 120 + ordinal % 50),
            ("Google", 60 + (ordinal * 3) % 40),
            ("news.ycombinator.com", 5 + (ordinal * 7) % 90),
        ]
        rows.sort(key=lambda row: -row[1])
        return [{"referrer": name, "count": count, "uniques": count // 2} for name, count in rows]

    def paths(self, full_name: str) -> list[dict]:
        ordinal = self.clock.date().toordinal()
        rows = [
            (f"/{full_name}", f"{full_name}: readme", 200 + ordinal % 30),
            (f"/{full_name}/issues", f"Issues · {full_name}", 30 + (ordinal * 5) % 20),
        ]
        return [
            {"path": path, "title": title, "count": count, "uniques": count // 3}
            for path, title, count in rows
        ]

    # -- the server ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeGithub":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll keeps `stop()` quick (it waits for the loop's next turn).
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def answer(self, path: str, headers: Mapping[str, str]) -> tuple[int, dict, object] | None:
        """(status, headers, body) for a GET, or None to drop the connection."""
        with self.lock:
            self.requests.append(path)
            sent = {name: headers.get(name, "") for name in (*REQUIRED_HEADERS, "User-Agent")}
            sent["Authorization"] = headers.get("Authorization", "")
            self.request_headers.append(sent)
            refused = _headers_refused(sent)
            if refused is not None:
                return 400, {}, {"message": refused}
            failure = self._failure()
            if failure != ():
                return failure
        token = BEARER.match(sent["Authorization"])["token"]
        if self.open_mode:
            self._open_mode_admit(path, token)
        if token not in self.known_tokens:
            return 401, {}, {"message": "Bad credentials"}
        route, _, query = path.partition("?")
        parts = route.strip("/").split("/")
        if (
            len(parts) >= 3
            and parts[0] == "repos"
            and f"{parts[1]}/{parts[2]}".lower() in self.moved
        ):
            moved_id = self.moved[f"{parts[1]}/{parts[2]}".lower()]
            base = self.redirect_base or self.url
            location = "/".join([f"{base}/repositories/{moved_id}", *parts[3:]])
            return (
                301,
                {"Location": location + (f"?{query}" if query else "")},
                {
                    "message": "Moved Permanently",
                    "url": location,
                },
            )
        repository, kind = self._route(parts)
        if repository is None:
            return 404, {}, {"message": "Not Found"}
        if kind == "":
            return 200, {}, {"id": repository.id, "full_name": repository.full_name}
        if token not in repository.push_tokens:
            return _no_push_access(token, self.accepted_permissions)
        return self._traffic(repository, kind)

    def _failure(self):
        """The next scripted failure (None: drop the connection), or () when there is none."""
        if self.dropped_requests:
            self.dropped_requests -= 1
            return None
        if self.server_errors:
            self.server_errors -= 1
            return 502, {}, {"message": "Server Error"}
        reset = int(self.clock.timestamp()) + self.rate_limit_reset_seconds
        if self.rate_limited_requests:
            self.rate_limited_requests -= 1
            headers = {
                "X-RateLimit-Limit": "5000",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(reset),
            }
            return self.rate_limit_status, headers, {"message": "API rate limit exceeded"}
        if self.secondary_limited_requests:
            self.secondary_limited_requests -= 1
            headers = {
                "X-RateLimit-Limit": "5000",
                "X-RateLimit-Remaining": "4990",
                "X-RateLimit-Reset": str(reset),
            }
            if self.secondary_retry_after is not None:
                headers["Retry-After"] = str(self.secondary_retry_after)
            return self.secondary_limit_status, headers, {"message": SECONDARY_MESSAGE}
        return ()

    def _route(self, parts: list[str]) -> tuple[FakeRepository | None, str]:
        """The repository a path names (`/repos/<o>/<r>/...` or `/repositories/<id>/...`) and
        what of it: "" (the repository itself) or the path under `traffic/`."""
        if len(parts) >= 3 and parts[0] == "repos":
            repository = self.repositories.get(f"{parts[1]}/{parts[2]}".lower())
            rest = parts[3:]
        elif len(parts) >= 2 and parts[0] == "repositories" and parts[1].isdigit():
            found = [r for r in self.repositories.values() if r.id == int(parts[1])]
            repository = found[0] if found else None
            rest = parts[2:]
        else:
            return None, ""
        if not rest:
            return repository, ""
        if rest[0] != "traffic" or len(rest) < 2:
            return None, ""
        return repository, "/".join(rest[1:])

    def _traffic(self, repository: FakeRepository, kind: str) -> tuple[int, dict, object]:
        with self.lock:
            if kind in ("views", "clones"):
                unique_key = "unique_views" if kind == "views" else "unique_clones"
                entries = [
                    {
                        "timestamp": f"{day.isoformat()}T00:00:00Z",
                        "count": counts[kind],
                        "uniques": counts[unique_key],
                    }
                    for day, counts in self.window(repository.full_name).items()
                ]
                body = {
                    "count": sum(entry["count"] for entry in entries),
                    "uniques": sum(entry["uniques"] for entry in entries),
                    kind: entries,
                }
                return 200, {}, body
            if kind == "popular/referrers":
                return 200, {}, self.referrers(repository.full_name)
            if kind == "popular/paths":
                return 200, {}, self.paths(repository.full_name)
        return 404, {}, {"message": "Not Found"}

    def _open_mode_admit(self, path: str, token: str) -> None:
        parts = path.split("?", 1)[0].strip("/").split("/")
        if len(parts) >= 3 and parts[0] == "repos":
            full_name = f"{parts[1]}/{parts[2]}"
            with self.lock:
                repository = self.repositories.get(full_name.lower())
                if repository is None:
                    repository = self.repository_add(
                        full_name,
                        created=self.clock.date() - timedelta(days=60),
                        token=token,
                        seed=sum(full_name.encode()) % 97,
                    )
                repository.push_tokens.add(token)
                self.known_tokens.add(token)


def _headers_refused(sent: dict[str, str]) -> str | None:
    """Why GitHub's documented request headers are not as they should be, or None."""
    for name, value in REQUIRED_HEADERS.items():
        if sent[name] != value:
            return f"Send the header {name}: {value}."
    if not BEARER.match(sent["Authorization"]):
        return "Send the header Authorization: Bearer <token>."
    if not sent["User-Agent"].strip():
        return "Send a User-Agent header."
    return None


def _no_push_access(token: str, accepted: str) -> tuple[int, dict, object]:
    """GitHub's 403 for a token that can see the repository but not push to it."""
    if token.startswith(FINE_GRAINED_PREFIX):
        return (
            403,
            {"X-Accepted-GitHub-Permissions": accepted},
            {"message": "Resource not accessible by personal access token"},
        )
    return 403, {}, {"message": "Must have push access to view repository traffic."}


def _handler_for(fake: FakeGithub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            answer = fake.answer(self.path, self.headers)
            if answer is None:
                self.close_connection = True
                return
            status, headers, body = answer
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def date_time_string(self, timestamp=None):
            # GitHub's clock is the test's clock.
            return format_datetime(fake.clock, usegmt=True)

        def log_message(self, format, *args):
            pass

    return Handler


def main() -> None:
    """`python -m tests.traffic.fake_github --port 8765`: a fake GitHub for the demo.

    Its clock follows the real time; every repository exists and every token may read it.
    """
    import argparse
    import time as time_module

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8765)
    arguments = parser.parse_args()
    fake = FakeGithub(clock=datetime.now(tz=UTC))
    fake.open_mode = True
    fake._server = ThreadingHTTPServer(("127.0.0.1", arguments.port), _handler_for(fake))
    fake._server.daemon_threads = True
    threading.Thread(target=fake._server.serve_forever, daemon=True).start()
    print(f"fake GitHub on {fake.url} (set GITHUB_API_URL={fake.url})", flush=True)
    try:
        while True:
            time_module.sleep(1)
            with fake.lock:
                fake.clock = datetime.now(tz=UTC)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
