"""Input at the edges: every date and timezone parameter, NUL bytes anywhere, a code's shape,
JSON errors on API paths in both DEBUG modes, and PostgreSQL out of connections. Never a 500."""

import json
import re
import threading
from datetime import UTC, date, datetime
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connections
from django.test import Client, override_settings
from rest_framework.test import APIClient

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.models import OtpChallenge
from shared_apps.accounts.otp import customer_otp_scope, otp_challenge_request
from tenant_apps.signups.models import Signup
from tenant_apps.traffic.models import Repository
from tenants.models import Store
from tests.support.stores import PLATFORM_HOST, api_client, in_store, store_host


@pytest.fixture(autouse=True)
def _fresh_throttles(redis_clean):
    """Hundreds of requests here: no limit of an earlier test may answer 429."""


def quiet(client):
    """An answer for every request, as a real client gets it (no exception re-raised)."""
    client.raise_request_exception = False
    return client


@pytest.fixture
def repository(store_a, seller_a) -> Repository:
    with in_store(store_a):
        return Repository.objects.create(seller=seller_a, owner="octo", name="cat")


# --------------------------------------------------------------------------- dates

# Refused by every date parameter, with the parameter's own code.
BAD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "1969-12-31",
    "2101-01-01",
    "2026-02-30",
    "2026-13-01",
    "1" * 5000,
    "2026-01-31" + "0" * 5000,
    "é",
    "\uff12\uff10\uff12\uff16-\uff10\uff11-\uff13\uff11",  # 2026-01-31 in fullwidth digits
]
# Refused where a day is asked for, taken where a date-time is (signups' since: ISO spellings
# Python reads, 2026-01-05 and the Monday of 2026's first week).
DATE_TIMES = [
    "2026-1-5",
    "2026W011",
    "2026-01-31T23:59",
    "2026-01-31T23:59:59+05:30",
    "2026-01-31 08:00Z",
]
# Real date-times whose offset or year is out of range: refused by since too.
BAD_DATE_TIMES = [
    "2026-01-31T00:00:00-23:59",
    "2026-01-31T00:00+23:59",
    "2026-01-31T00:00-14:30",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "2026-01-31T25:00",
    "2026-01-31T23:59:60",
]
EDGE_DAYS = ["1970-01-01", "2100-12-31"]


def day_parameters(store, repository, token):
    """(label, client, URL taking `{}` for the value, code when refused) for every day parameter
    of every API and page; pages answer HTML, so their code is None."""
    owner = quiet(api_client(store_host(store), jwt=seller_token_pair(store.owner)["access"]))
    page = quiet(Client(HTTP_HOST=store_host(store)))
    metric = "metric=agent_replies&interval=hour"
    found = [
        ("traffic api start", owner, f"/api/repos/{repository.id}?start={{}}", "invalid_date"),
        ("traffic api end", owner, f"/api/repos/{repository.id}?end={{}}", "invalid_date"),
        ("traffic page start", page, f"/users/{token}/repos/{repository.id}?start={{}}", None),
        ("traffic page end", page, f"/users/{token}/repos/{repository.id}?end={{}}", None),
        ("traffic list start", page, f"/users/{token}/repos?start={{}}", None),
    ]
    for read in ("summary", f"timeseries?{metric}&", "agents", "channels", "agents?format=csv&"):
        path = f"/api/analytics/{read}" + ("" if read.endswith("&") else "?")
        found.append((f"analytics {read} start", owner, path + "start={}", "date_out_of_range"))
        found.append((f"analytics {read} end", owner, path + "end={}", "date_out_of_range"))
    return found


def expected_code(code: str | None, value: str) -> str | None:
    # Analytics keeps DRF's `invalid` for what is no day at all; a real day out of range is
    # `date_out_of_range`.
    if code != "date_out_of_range":
        return code
    try:
        real_day = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) and date.fromisoformat(value)
    except ValueError:
        real_day = None
    return "date_out_of_range" if real_day else "invalid"


def test_every_day_parameter_refuses_out_of_range_and_malformed_days(
    store_a, repository, api_token_a
):
    refused = {}
    for label, client, url, code in day_parameters(store_a, repository, api_token_a):
        for value in [*BAD_DATES, *DATE_TIMES, *BAD_DATE_TIMES]:
            response = client.get(url.format(quote(value)))
            answer = response.json()["code"] if code else None
            if (response.status_code, answer) != (400, expected_code(code, value)):
                refused[(label, value[:30])] = (response.status_code, answer)
            if code is None:
                assert b'id="traffic-error"' in response.content  # the readable page
    assert refused == {}


def test_every_day_parameter_takes_the_first_and_last_day_it_allows(
    store_a, repository, api_token_a
):
    statuses = {}
    for label, client, url, _code in day_parameters(store_a, repository, api_token_a):
        for day in EDGE_DAYS:
            # Analytics takes at most a year: name both ends.
            other = "end" if "start=" in url else "start"
            statuses[(label, day)] = client.get(url.format(day) + f"&{other}={day}").status_code
    assert set(statuses.values()) == {200}, statuses


@pytest.mark.parametrize(
    ("zone", "day"), [("Etc/GMT-14", "1970-01-01"), ("Etc/GMT+12", "2100-12-31")]
)
def test_analytics_edge_days_in_the_farthest_timezones(client_a, zone, day):
    query = {"start": day, "end": day, "tz": zone}
    summary = client_a.get("/api/analytics/summary", query)
    hours = client_a.get(
        "/api/analytics/timeseries", {**query, "metric": "agent_replies", "interval": "hour"}
    )

    assert (summary.status_code, hours.status_code) == (200, 200)
    assert summary.json()["agent_replies"] == 0
    assert len(hours.json()) == 24


@pytest.mark.parametrize("value", [*BAD_DATES, *BAD_DATE_TIMES, ""])
def test_signups_since_refuses_out_of_range_values(client_a, value):
    response = quiet(client_a).get(f"/api/signups?since={quote(value)}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_since"


def test_signups_since_takes_a_minute_without_seconds_or_zone_in_store_time(store_a, client_a):
    # Alpha is Asia/Kolkata: 2026-01-31T23:59 there is 18:29 UTC.
    with in_store(store_a):
        for minute, email in ((28, "before@example.com"), (29, "at@example.com")):
            Signup.objects.create(
                email=email, created_at=datetime(2026, 1, 31, 18, minute, tzinfo=UTC)
            )

    minute = client_a.get("/api/signups", {"since": "2026-01-31T23:59"}).json()
    first_day = client_a.get("/api/signups", {"since": "1970-01-01"}).json()
    last_day = client_a.get("/api/signups", {"since": "2100-12-31T23:59:59-12:00"}).json()

    assert [s["email"] for s in minute["results"]] == ["at@example.com"]
    assert first_day["count"] == 2
    assert last_day["count"] == 0


# --------------------------------------------------------------------------- timezones


# (An empty value means the default, the store's zone or UTC; spaces around a name are trimmed.)
BAD_ZONES = ["Not/AZone", "é", "../../etc/passwd", "Asia/Kolkata/x", "UTC+05:30", "x" * 5000]


@pytest.mark.parametrize("zone", BAD_ZONES)
def test_every_timezone_parameter_refuses_what_is_no_iana_zone(
    platform_client, seller_a, client_a, zone
):
    reads = [
        client_a.get(f"/api/analytics/{read}", {"tz": zone, "metric": "agent_replies"})
        for read in ("summary", "timeseries", "agents", "channels")
    ]
    client = client_a.post(
        "/api/clients", {"name": "Asha", "email": "asha@example.com", "timezone": zone}
    )
    platform_client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {seller_token_pair(seller_a)['access']}"
    )
    store = platform_client.post("/api/stores", {"name": "Zones", "timezone": zone})

    codes = {(r.status_code, r.json()["code"]) for r in [*reads, client, store]}
    # An over-long value fails the field's own rule first.
    assert codes == ({(400, "max_length")} if len(zone) > 64 else {(400, "invalid_timezone")})
    assert not Store.objects.filter(name="Zones").exists()


# --------------------------------------------------------------------------- NUL bytes


def schema_operations(client) -> list[tuple[str, str, dict]]:
    """(method, path with ids filled in, operation) of every API operation the host answers."""
    schema = json.loads(client.get("/api/schema/?format=json").content)
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path), operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("host_of", ["platform", "store"])
def test_a_nul_in_any_query_parameter_is_400_on_every_operation(
    store_a, seller_a, host_of, signed_in
):
    host = PLATFORM_HOST if host_of == "platform" else store_host(store_a)
    jwt = seller_token_pair(seller_a)["access"] if signed_in else None
    client = quiet(api_client(host, jwt=jwt))
    answers = {}
    for method, path, operation in schema_operations(client):
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for name in [*names, "unknown"]:
            response = client.generic(method, f"{path}?{name}=a%00b")
            answers[(method, path, name)] = (response.status_code, response.json()["code"])
    assert len(answers) >= (10 if host_of == "platform" else 60)
    assert set(answers.values()) == {(400, "invalid_input")}


def test_the_nul_queries_found_unauthenticated_are_400(store_a):
    resolve = quiet(api_client(PLATFORM_HOST)).get("/api/stores/resolve?link=%00")
    search = quiet(api_client(store_host(store_a))).get("/api/clients?search=%00")
    name = quiet(api_client(store_host(store_a))).get("/api/clients?se%00arch=x")

    assert resolve.status_code == search.status_code == name.status_code == 400
    assert resolve.json() == {
        "error": "The request holds a NUL character (\\x00), which no field accepts.",
        "code": "invalid_input",
        "details": {"field": "link"},
    }
    assert search.json()["details"] == {"field": "search"}
    assert name.json()["details"] == {"field": "se\\x00arch"}


def test_a_nul_in_the_path_or_a_form_body_is_400(store_a, repository):
    owner = quiet(api_client(store_host(store_a), jwt=seller_token_pair(store_a.owner)["access"]))
    path = owner.get("/api/repos/%00")
    form = quiet(api_client(PLATFORM_HOST)).post(
        "/api/auth/otp/request",
        "mobile=%2B9198%0000001",
        content_type="application/x-www-form-urlencoded",
    )
    page = quiet(Client(HTTP_HOST=PLATFORM_HOST)).post(
        "/login",
        "step=request&mobile=%2B91%00",
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
    )

    assert (path.status_code, path.json()["details"]) == (400, {"field": "path"})
    assert (form.status_code, form.json()["code"]) == (400, "invalid_input")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert b"which no field accepts" in page.content
    assert OtpChallenge.objects.count() == 0


def nul_body(schema: dict, components: dict):
    """An example body of `schema` with every string holding a NUL."""
    if "$ref" in schema:
        return nul_body(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return nul_body(schema[combined][0], components)
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties", {}).items()
        return {name: nul_body(value, components) for name, value in properties}
    if schema.get("type") == "array":
        return [nul_body(schema.get("items", {}), components)]
    return {"integer": 1, "number": 1.5, "boolean": True}.get(schema.get("type"), "a\x00b")


@pytest.mark.parametrize("host_of", ["platform", "store"])
def test_a_nul_in_any_json_string_is_a_4xx_with_a_code(store_a, seller_a, host_of):
    host = PLATFORM_HOST if host_of == "platform" else store_host(store_a)
    client = quiet(api_client(host, jwt=seller_token_pair(seller_a)["access"]))
    components = json.loads(client.get("/api/schema/?format=json").content)["components"]
    answers = {}
    for method, path, operation in schema_operations(client):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            data = json.dumps(nul_body(body["schema"], components["schemas"]))
            response = client.generic(method, path, data, content_type="application/json")
            answers[(method, path)] = (response.status_code, response.json()["code"])
    assert len(answers) >= (5 if host_of == "platform" else 20)
    assert {status for status, _ in answers.values()} <= {400, 401, 403, 404}
    assert answers[("POST", "/api/tokens")] == (400, "null_characters_not_allowed")


EVENT = (
    '{"events": [{"id": "e1", "type": "conversation.created",'
    ' "occurred_at": "2026-01-01T00:00:00Z",'
    ' "conversation": {"id": "c1", "channel": {"id": "ch", "name": "Chat", "type": "chat"}},'
    ' "agent": {"id": "a1", "name": "Asha", "email": "EMAIL"}}]}'
)


@pytest.mark.parametrize(
    ("email", "code", "details"),
    [
        # The batch's own refusal: each bad event with its field.
        ("a\\u0000b", "invalid_events", {"events": [
            {"index": 0, "reason": "agent.email must not hold a NUL character (\\x00)",
             "fields": {"agent.email": "must not hold a NUL character (\\x00)"}}]}),
        ("\\udaa0x", "invalid_unicode", {"field": "events.0.agent.email"}),
    ],
)  # fmt: skip
def test_text_nested_deep_in_a_batch_that_postgresql_cannot_store_is_400(
    store_a, client_a, email, code, details
):
    key = client_a.post("/api/analytics/tokens", {"name": "feed"}, format="json").json()["key"]
    feed = quiet(api_client(store_host(store_a)))

    answer = feed.post(
        "/api/analytics/events",
        EVENT.replace("EMAIL", email),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    # A surrogate pair that is whole (an emoji) is ordinary text.
    emoji = feed.post(
        "/api/analytics/events",
        EVENT.replace("EMAIL", "\\ud83d\\ude00@example.com"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["details"]) == (code, details)
    assert emoji.status_code == 202, emoji.content


# --------------------------------------------------------------------------- a code's shape


@pytest.mark.parametrize(
    "otp",
    [
        "é",
        "\uff14\uff12\uff14\uff12\uff14\uff12",
        "\u0664\u0662\u0664\u0662\u0664\u0662",
        "42424\x00",
        "4242422",
    ],
)
@pytest.mark.parametrize("audience", ["seller", "buyer"])
@override_settings(OTP_FIXED_CODE="424242")
def test_a_code_that_is_no_code_is_400_even_with_a_fixed_code(store_a, audience, otp):
    host, path, scope = (
        (PLATFORM_HOST, "/api/auth/otp/verify", "seller")
        if audience == "seller"
        else (
            store_host(store_a),
            "/api/customers/otp/verify",
            customer_otp_scope(store_a.schema_name),
        )
    )
    otp_challenge_request(mobile="+919800000001", scope=scope)
    client = quiet(APIClient(HTTP_HOST=host))

    refused = client.post(path, {"mobile": "+919800000001", "otp": otp}, format="json")
    fixed = client.post(path, {"mobile": "+919800000001", "otp": "424242"}, format="json")

    assert (refused.status_code, refused.json()["code"]) == (400, "otp_invalid")
    assert "access" not in refused.json()
    assert fixed.status_code == 200  # the fixed code works, so the refusal was the shape's
    assert OtpChallenge.objects.get(scope=scope).attempts == 0


# --------------------------------------------------------------------------- JSON errors


@pytest.mark.parametrize("debug", [False, True])
def test_api_paths_answer_json_errors_whatever_debug_is(settings, store_a, client_a, debug):
    settings.DEBUG = debug
    quiet(client_a)
    platform = quiet(api_client(PLATFORM_HOST))

    answers = [
        client_a.get("/api/products/-1"),
        client_a.get("/api/no-such-thing"),
        platform.get("/api/products/-1"),
    ]
    not_allowed = client_a.delete("/api/signups/stats")
    # A plain Django view under /api/ (the e-mail link's page) answers 405 with no body.
    page_not_allowed = platform.put("/api/users/verify-email/abc")

    for response in answers:
        assert response.status_code == 404
        assert response.json() == {"error": "Not found.", "code": "not_found", "details": {}}
    assert (not_allowed.status_code, not_allowed.json()["code"]) == (405, "method_not_allowed")
    assert "GET" in not_allowed["Allow"]
    assert page_not_allowed.status_code == 405
    assert page_not_allowed.json() == {
        "error": "This method is not allowed here.",
        "code": "method_not_allowed",
        "details": {},
    }
    assert "GET" in page_not_allowed["Allow"]


def test_a_body_django_refuses_to_read_is_a_json_400_and_keeps_nothing(store_a):
    # More form fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000): Django refuses the body
    # before the view runs; on a page it is Django's own 400 page.
    body = "&".join(f"events={n}" for n in range(1001))
    client = quiet(Client(HTTP_HOST=store_host(store_a)))

    answer = client.post(
        "/api/analytics/events", body, content_type="application/x-www-form-urlencoded"
    )
    page = client.post("/console/login", body, content_type="application/x-www-form-urlencoded")

    assert answer.status_code == 400
    assert answer.json() == {
        "error": "The request could not be read.",
        "code": "bad_request",
        "details": {},
    }
    assert (page.status_code, page["Content-Type"].split(";")[0]) == (400, "text/html")


def test_pages_keep_the_debug_page_under_debug(settings, store_a):
    settings.DEBUG = True

    page = quiet(Client(HTTP_HOST=store_host(store_a))).get(
        "/no-such-page", HTTP_ACCEPT="text/html"
    )

    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


# --------------------------------------------------------------------------- out of connections


@pytest.fixture
def one_connection_role(db):
    """A PostgreSQL role allowed one connection at a time (with the test user's rights), and
    that one connection held open: PostgreSQL refuses the next with SQLSTATE 53300, as it does
    with 'too many clients already' when max_connections is reached."""
    database = connections["default"].settings_dict
    name = re.sub(r"[^a-z0-9_]", "_", f"{database['NAME']}_one_connection")[:63]
    params = {"host": database["HOST"] or "127.0.0.1", "port": database["PORT"] or 5432}
    admin = psycopg2.connect(dbname=database["NAME"], user=database["USER"], **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP ROLE IF EXISTS "{name}"')
        cursor.execute(
            f'CREATE ROLE "{name}" LOGIN CONNECTION LIMIT 1 IN ROLE "{database["USER"]}"'
        )
    held = psycopg2.connect(dbname=database["NAME"], user=name, **params)
    try:
        yield name, held
    finally:
        if not held.closed:
            held.close()
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name]
            )
            cursor.execute(f'DROP ROLE IF EXISTS "{name}"')
        admin.close()


def request_as(role: str, host: str, path: str):
    """One request served on a thread of its own whose connections log in as `role` (Django's
    connections are per thread; the test's own stays as it is)."""
    answer = {}

    def serve():
        connection = connections["default"]
        connection.settings_dict = {**connection.settings_dict, "USER": role}
        try:
            answer["response"] = quiet(Client(HTTP_HOST=host)).get(path)
        finally:
            connections.close_all()

    thread = threading.Thread(target=serve)
    thread.start()
    thread.join(timeout=60)
    return answer["response"]


@pytest.mark.parametrize("debug", [False, True])
def test_no_free_database_connection_is_a_503_then_it_recovers(
    settings, store_a, one_connection_role, debug
):
    settings.DEBUG = debug
    role, held = one_connection_role
    with pytest.raises(psycopg2.OperationalError) as refused:
        psycopg2.connect(dsn=held.dsn)

    exhausted = request_as(role, store_host(store_a), "/api/storefront")
    held.close()
    recovered = request_as(role, store_host(store_a), "/api/storefront")

    assert "too many connections for role" in str(refused.value)
    assert exhausted.status_code == 503
    assert exhausted["Retry-After"] == "5"
    assert exhausted.json() == {
        "error": "The service is briefly unavailable; try again.",
        "code": "unavailable",
        "details": {},
    }
    assert recovered.status_code == 200
    assert recovered.json()["name"] == store_a.name
