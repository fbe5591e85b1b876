"""Ingestion, tokens and read APIs over HTTP on the store host."""

import csv
import io

import pytest

from tenant_apps.analytics.models import Event, IngestionToken, Rollup
from tenant_apps.analytics.services import ingestion_token_create
from tests.support.analytics import event
from tests.support.stores import api_client, in_store, store_host

DAY = "2026-11-02"


@pytest.fixture
def ingestion_key_a(store_a):
    with in_store(store_a):
        return ingestion_token_create(name="helpdesk")[1]


@pytest.fixture
def ingestion_key_b(store_b):
    with in_store(store_b):
        return ingestion_token_create(name="helpdesk")[1]


def token_client(store, key):
    client = api_client(store_host(store))
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def post_events(client, events):
    return client.post("/api/analytics/events", {"events": events}, format="json")


def small_story():
    return [
        event("created", f"{DAY}T10:00:00+05:30", conversation="c-1"),
        event("assigned", f"{DAY}T10:01:00+05:30", conversation="c-1", agent="asha"),
        event("agent_replied", f"{DAY}T10:05:00+05:30", conversation="c-1", agent="asha"),
        event("closed", f"{DAY}T10:15:00+05:30", conversation="c-1", agent="asha"),
        event("created", f"{DAY}T11:00:00+05:30", conversation="c-2", channel="mail"),
    ]


# --------------------------------------------------------------------------- tokens


def test_member_creates_lists_and_revokes_an_ingestion_token(store_a, client_a):
    created = client_a.post("/api/analytics/tokens", {"name": "Helpdesk"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "name", "key"}
    assert body["name"] == "Helpdesk"
    with in_store(store_a):
        stored = IngestionToken.objects.get(pk=body["id"])
        # Only the hash is kept: the key itself is nowhere in the row.
        assert stored.key_hash == IngestionToken.hash_key(body["key"])
        assert body["key"] not in (stored.key_hash, stored.key_prefix)

    listed = client_a.get("/api/analytics/tokens").json()
    assert [(t["id"], t["name"], "key" in t) for t in listed] == [(body["id"], "Helpdesk", False)]

    ingest = post_events(token_client(store_a, body["key"]), small_story())
    assert ingest.status_code == 202

    assert client_a.delete(f"/api/analytics/tokens/{body['id']}").status_code == 204
    assert client_a.delete(f"/api/analytics/tokens/{body['id']}").status_code == 404
    refused = post_events(token_client(store_a, body["key"]), small_story())
    assert refused.status_code == 401


def test_token_needs_a_name(client_a):
    response = client_a.post("/api/analytics/tokens", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "required"


def test_an_ingestion_token_cannot_manage_tokens(store_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    assert client.get("/api/analytics/tokens").status_code == 401
    assert client.post("/api/analytics/tokens", {"name": "x"}, format="json").status_code == 401


# --------------------------------------------------------------------------- ingestion


def test_batch_is_accepted_and_rollups_are_ready_when_the_response_returns(
    store_a, ingestion_key_a
):
    client = token_client(store_a, ingestion_key_a)

    response = post_events(client, small_story())
    summary = client.get("/api/analytics/summary", {"start": DAY, "end": DAY}).json()

    assert response.status_code == 202
    assert response.json() == {"accepted": 5, "duplicates": 0}
    assert summary["conversations_created"] == 2
    assert summary["conversations_closed"] == 1
    assert summary["avg_first_response_seconds"] == 300.0
    assert summary["avg_resolution_seconds"] == 900.0
    assert summary["open_now"] == 1


def test_one_event_without_a_batch_wrapper(store_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    response = client.post(
        "/api/analytics/events", event("created", f"{DAY}T10:00:00Z"), format="json"
    )
    assert response.status_code == 202
    assert response.json() == {"accepted": 1, "duplicates": 0}


def test_member_api_token_may_ingest(store_a, api_token_a):
    response = post_events(api_client(store_host(store_a), token=api_token_a), small_story())
    assert response.status_code == 202


def test_redelivered_events_never_count_twice(store_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    story = small_story()

    first = post_events(client, story[:3])
    again = post_events(client, story)  # 3 seen before, 2 new
    in_batch = post_events(client, [story[0], story[0]])
    summary = client.get("/api/analytics/summary", {"start": DAY, "end": DAY}).json()

    assert first.json() == {"accepted": 3, "duplicates": 0}
    assert again.json() == {"accepted": 2, "duplicates": 3}
    assert in_batch.json() == {"accepted": 0, "duplicates": 2}
    assert summary["conversations_created"] == 2
    assert summary["conversations_assigned"] == 1
    assert summary["agent_replies"] == 1
    with in_store(store_a):
        assert Event.objects.count() == 5


def test_invalid_batch_names_every_bad_event_and_records_nothing(store_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    good = event("created", f"{DAY}T10:00:00Z")
    no_agent = event("agent_replied", f"{DAY}T10:05:00Z")
    naive_time = event("created", "2026-11-02T10:00:00")
    bad_type = event("deleted", f"{DAY}T10:00:00Z")
    no_conversation = {"id": "x", "type": "conversation.created", "occurred_at": f"{DAY}T10:00Z"}

    response = post_events(client, [good, no_agent, naive_time, bad_type, no_conversation, 7])

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_events"
    problems = body["details"]["events"]
    assert [p["index"] for p in problems] == [1, 2, 3, 4, 5]
    assert problems[0]["reason"] == "agent is required for conversation.agent_replied"
    assert problems[1]["fields"] == {"occurred_at": "must include a UTC offset (e.g. +05:30 or Z)"}
    assert list(problems[2]["fields"]) == ["type"]
    assert problems[3]["fields"] == {"conversation": "must be an object with id and channel"}
    assert problems[4]["reason"] == "event must be a JSON object"
    with in_store(store_a):
        assert Event.objects.count() == 0
        assert Rollup.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"events": []}, "no_events"),
        ({"events": "nope"}, "invalid_events"),
        ([1, 2], "invalid_events"),
    ],
)
def test_malformed_bodies_are_400(store_a, ingestion_key_a, body, code):
    response = token_client(store_a, ingestion_key_a).post(
        "/api/analytics/events", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_batch_of_more_than_1000_is_refused(store_a, ingestion_key_a):
    events = [event("created", f"{DAY}T10:00:00Z", conversation=f"c{n}") for n in range(1001)]
    response = post_events(token_client(store_a, ingestion_key_a), events)
    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"
    with in_store(store_a):
        assert Event.objects.count() == 0


def test_not_json_is_400(store_a, ingestion_key_a):
    response = token_client(store_a, ingestion_key_a).post(
        "/api/analytics/events", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


def test_agents_and_channels_follow_the_metadata(store_a, client_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    renamed = event("assigned", f"{DAY}T12:00:00Z", conversation="c-1", agent="asha")
    renamed["agent"]["name"] = "Asha R."
    nameless = event("agent_replied", f"{DAY}T12:05:00Z", conversation="c-1", agent="asha")
    del nameless["agent"]["name"]

    post_events(client, small_story())
    post_events(client, [renamed, nameless])
    agents = client_a.get("/api/analytics/agents", {"start": DAY, "end": DAY}).json()

    assert [(a["id"], a["name"], a["email"]) for a in agents] == [
        ("asha", "Asha R.", "asha@example.com")
    ]
    assert agents[0]["conversations_assigned"] == 2
    assert agents[0]["agent_replies"] == 2


# --------------------------------------------------------------------------- isolation


def test_store_b_ingestion_token_is_refused_on_store_a(store_a, ingestion_key_a, ingestion_key_b):
    post_events(token_client(store_a, ingestion_key_a), small_story())
    foreign = token_client(store_a, ingestion_key_b)

    ingest = post_events(foreign, [event("created", f"{DAY}T10:00:00Z", conversation="z")])
    summary = foreign.get("/api/analytics/summary", {"start": DAY, "end": DAY})
    agents = foreign.get("/api/analytics/agents", {"start": DAY, "end": DAY})

    assert ingest.status_code == 401
    assert summary.status_code == 401
    assert agents.status_code == 401
    assert "asha" not in agents.content.decode()
    with in_store(store_a):
        assert Event.objects.count() == 5


def test_store_b_member_credentials_are_refused_on_store_a(
    store_a, ingestion_key_a, client_b, api_token_b
):
    post_events(token_client(store_a, ingestion_key_a), small_story())
    jwt_on_a = client_b
    jwt_on_a.defaults["HTTP_HOST"] = store_host(store_a)
    token_on_a = api_client(store_host(store_a), token=api_token_b)

    for client in (jwt_on_a, token_on_a):
        summary = client.get("/api/analytics/summary", {"start": DAY, "end": DAY})
        tokens = client.get("/api/analytics/tokens")
        ingest = post_events(client, small_story())
        assert (summary.status_code, tokens.status_code, ingest.status_code) == (403, 403, 403)
        assert "conversations_created" not in summary.content.decode()


def test_anonymous_is_401(anon_client_a):
    assert anon_client_a.get("/api/analytics/summary").status_code == 401
    assert post_events(anon_client_a, small_story()).status_code == 401


# --------------------------------------------------------------------------- reads


def test_read_input_errors_are_400(client_a):
    cases = [
        ({"tz": "Mars/Olympus"}, "invalid_timezone"),
        ({"start": "2026-11-05", "end": "2026-11-01"}, "invalid_range"),
        ({"start": "2020-01-01", "end": "2026-11-01"}, "range_too_long"),
        ({"start": "yesterday"}, "invalid"),
        ({"agent": "nobody"}, "unknown_agent"),
        ({"channel": "nowhere"}, "unknown_channel"),
    ]
    for params, code in cases:
        response = client_a.get("/api/analytics/summary", params)
        assert (response.status_code, response.json()["code"]) == (400, code), params
    series = client_a.get("/api/analytics/timeseries", {"metric": "open_now"})
    assert (series.status_code, series.json()["code"]) == (400, "invalid_choice")
    hourly = client_a.get(
        "/api/analytics/timeseries",
        {"metric": "agent_replies", "interval": "hour", "start": "2025-01-01", "end": "2026-02-25"},
    )
    assert (hourly.status_code, hourly.json()["code"]) == (400, "range_too_long")
    assert hourly.json()["error"] == "An hourly series holds at most 10000 points."


def test_summary_filters_by_agent_and_channel(store_a, client_a, ingestion_key_a):
    post_events(token_client(store_a, ingestion_key_a), small_story())
    range_ = {"start": DAY, "end": DAY}

    by_agent = client_a.get("/api/analytics/summary", {**range_, "agent": "asha"}).json()
    by_mail = client_a.get("/api/analytics/summary", {**range_, "channel": "mail"}).json()
    both = client_a.get(
        "/api/analytics/summary", {**range_, "agent": "asha", "channel": "mail"}
    ).json()

    assert (by_agent["conversations_closed"], by_agent["avg_first_response_seconds"]) == (1, 300.0)
    # Created events carry no agent: they count for the store and the channel, not an agent.
    assert by_agent["conversations_created"] == 0
    assert (by_mail["conversations_created"], by_mail["open_now"], by_mail["unassigned_now"]) == (
        1,
        1,
        1,
    )
    assert both["conversations_closed"] == 0
    assert both["avg_first_response_seconds"] is None


def test_previous_period_has_the_same_length(store_a, client_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    post_events(
        client,
        [
            event("created", "2026-10-30T10:00:00+05:30", conversation="old"),
            event("created", "2026-10-31T10:00:00+05:30", conversation="old-2"),
            event("created", "2026-11-01T10:00:00+05:30", conversation="new"),
        ],
    )
    summary = client_a.get("/api/analytics/summary", {"start": "2026-11-01", "end": "2026-11-02"})
    body = summary.json()
    assert body["conversations_created"] == 1
    assert body["previous"]["start"] == "2026-10-30"
    assert body["previous"]["end"] == "2026-10-31"
    assert body["previous"]["conversations_created"] == 2


def test_timeseries_fills_empty_days(store_a, client_a, ingestion_key_a):
    post_events(token_client(store_a, ingestion_key_a), small_story())
    response = client_a.get(
        "/api/analytics/timeseries",
        {"metric": "conversations_created", "interval": "day", "start": "2026-11-01",
         "end": "2026-11-03"},
    )  # fmt: skip
    assert response.json() == [
        {"start": "2026-11-01T00:00:00+05:30", "value": 0, "count": 0},
        {"start": "2026-11-02T00:00:00+05:30", "value": 2, "count": 2},
        {"start": "2026-11-03T00:00:00+05:30", "value": 0, "count": 0},
    ]


def test_timeseries_of_an_average_carries_value_and_count(store_a, client_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    post_events(client, small_story())
    post_events(
        client,
        [
            event("created", f"{DAY}T13:00:00+05:30", conversation="c-3"),
            event("agent_replied", f"{DAY}T13:10:00+05:30", conversation="c-3", agent="ravi"),
        ],
    )
    hours = client_a.get(
        "/api/analytics/timeseries",
        {"metric": "avg_first_response_seconds", "interval": "hour", "start": DAY, "end": DAY},
    ).json()

    assert len(hours) == 24
    assert hours[10] == {"start": "2026-11-02T10:00:00+05:30", "value": 300.0, "count": 1}
    assert hours[13] == {"start": "2026-11-02T13:00:00+05:30", "value": 600.0, "count": 1}
    assert sum(point["count"] for point in hours) == 2


def test_weeks_start_on_monday(store_a, client_a, ingestion_key_a):
    post_events(
        token_client(store_a, ingestion_key_a),
        [
            event("created", "2026-11-01T23:59:00+05:30", conversation="sun"),  # Sunday
            event("created", "2026-11-02T00:00:00+05:30", conversation="mon"),  # Monday
            event("created", "2026-11-08T12:00:00+05:30", conversation="sun2"),  # Sunday
        ],
    )
    weeks = client_a.get(
        "/api/analytics/timeseries",
        {"metric": "conversations_created", "interval": "week", "start": "2026-10-28",
         "end": "2026-11-10"},
    ).json()  # fmt: skip
    assert weeks == [
        {"start": "2026-10-26T00:00:00+05:30", "value": 1, "count": 1},
        {"start": "2026-11-02T00:00:00+05:30", "value": 2, "count": 2},
        {"start": "2026-11-09T00:00:00+05:30", "value": 0, "count": 0},
    ]


def test_agents_and_channels_csv(store_a, client_a, ingestion_key_a):
    post_events(token_client(store_a, ingestion_key_a), small_story())
    tricky = event("assigned", f"{DAY}T12:00:00Z", conversation="c-9", agent="mallory")
    tricky["agent"]["name"] = "=HYPERLINK(1)"
    post_events(token_client(store_a, ingestion_key_a), [tricky])

    agents = client_a.get("/api/analytics/agents", {"start": DAY, "end": DAY, "format": "csv"})
    channels = client_a.get("/api/analytics/channels", {"start": DAY, "end": DAY, "format": "csv"})

    assert agents.status_code == 200
    assert agents["Content-Type"].startswith("text/csv")
    assert agents["Content-Disposition"] == (
        'attachment; filename="agents-2026-11-02-2026-11-02.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(agents.content.decode())))
    assert [(r["id"], r["name"]) for r in rows] == [("mallory", "'=HYPERLINK(1)"), ("asha", "Asha")]
    asha = rows[1]
    assert (asha["conversations_assigned"], asha["agent_replies"]) == ("1", "1")
    assert (asha["avg_first_response_seconds"], asha["avg_reply_seconds"]) == ("300.0", "")
    channel_rows = list(csv.DictReader(io.StringIO(channels.content.decode())))
    assert [(r["id"], r["conversations_created"]) for r in channel_rows] == [
        ("mail", "1"),
        ("wa-1", "1"),
    ]


def test_agent_and_channel_rows_are_filtered(store_a, client_a, ingestion_key_a):
    client = token_client(store_a, ingestion_key_a)
    post_events(client, small_story())
    post_events(
        client,
        [
            event("created", f"{DAY}T12:00:00Z", conversation="c-3", channel="mail"),
            event("assigned", f"{DAY}T12:01:00Z", conversation="c-3", agent="ravi", channel="mail"),
        ],
    )
    range_ = {"start": DAY, "end": DAY}

    asha = client_a.get("/api/analytics/agents", {**range_, "agent": "asha"}).json()
    on_mail = client_a.get("/api/analytics/agents", {**range_, "channel": "mail"}).json()
    mail = client_a.get("/api/analytics/channels", {**range_, "channel": "mail"}).json()
    for_ravi = client_a.get("/api/analytics/channels", {**range_, "agent": "ravi"}).json()

    assert [(r["id"], r["conversations_assigned"], r["agent_replies"]) for r in asha] == [
        ("asha", 1, 1)
    ]
    assert [(r["id"], r["conversations_assigned"]) for r in on_mail] == [("asha", 0), ("ravi", 1)]
    assert [(r["id"], r["conversations_created"]) for r in mail] == [("mail", 2)]
    assert [(r["id"], r["conversations_assigned"]) for r in for_ravi] == [("mail", 1), ("wa-1", 0)]


def test_csv_errors_are_json(client_a):
    response = client_a.get("/api/analytics/agents", {"tz": "Nope/Nope", "format": "csv"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_timezone"


def test_schema_describes_the_analytics_api():
    from drf_spectacular.generators import SchemaGenerator

    from tenant_apps.analytics.urls import urlpatterns

    schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)

    events = schema["paths"]["/api/analytics/events"]["post"]
    assert "202" in events["responses"]
    assert {"ingestionToken": []} in events["security"]
    summary = schema["paths"]["/api/analytics/summary"]["get"]
    assert [p["name"] for p in summary["parameters"]] == ["agent", "channel", "end", "start", "tz"]
    assert "/api/analytics/timeseries" in schema["paths"]


def test_a_csv_with_no_rows_is_its_header_row(store_a, client_a):
    agents = client_a.get("/api/analytics/agents", {"start": DAY, "end": DAY, "format": "csv"})
    channels = client_a.get("/api/analytics/channels", {"start": DAY, "end": DAY, "format": "csv"})
    with_rows = client_a.get("/api/analytics/agents", {"start": DAY, "end": DAY}).json()

    assert agents["Content-Type"].startswith("text/csv")
    header = agents.content.decode().splitlines()
    assert header[0].split(",")[:3] == ["id", "name", "email"] and len(header) == 1
    assert channels.content.decode().splitlines()[0].split(",")[:3] == ["id", "name", "type"]
    assert with_rows == []
