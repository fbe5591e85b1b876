"""The event schema on plain data: what `events_parse` accepts, and each reason it gives."""

from datetime import UTC, datetime

import pytest
from drf_spectacular.generators import SchemaGenerator

from tenant_apps.analytics.errors import AnalyticsError
from tenant_apps.analytics.events import (
    EventSerializer,
    ParsedEvent,
    event_batch_unwrap,
    event_parse,
    events_parse,
)
from tenant_apps.analytics.models import EventType


def body(**changes) -> dict:
    """A valid agent reply; `changes` replace top-level keys (None removes one)."""
    event = {
        "id": "evt-1",
        "type": "conversation.agent_replied",
        "occurred_at": "2026-11-02T10:00:00+05:30",
        "conversation": {"id": "c-1", "channel": {"id": "wa", "name": "WhatsApp", "type": "wa"}},
        "agent": {"id": "asha", "name": "Asha", "email": "asha@example.com"},
    }
    event.update(changes)
    return {key: value for key, value in event.items() if value is not None}


def test_a_valid_event_is_parsed_stripped_and_in_utc():
    raw = body(
        id=" evt-1 ",
        conversation={"id": 42, "channel": {"id": "wa", "name": " WhatsApp "}},
        agent={"id": 7},
    )

    event, problems = event_parse(raw)

    assert problems == {}
    assert event == ParsedEvent(
        event_id="evt-1",
        type=EventType.AGENT_REPLIED,
        occurred_at=datetime(2026, 11, 2, 4, 30, tzinfo=UTC),
        conversation_id="42",
        channel_id="wa",
        channel_name="WhatsApp",
        channel_type="",
        agent_id="7",
        agent_name="",
        agent_email="",
    )


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"id": True}, {"id": "must be a non-empty string"}),
        ({"id": "   "}, {"id": "must be a non-empty string"}),
        ({"id": "x" * 101}, {"id": "must be at most 100 characters"}),
        (
            {"type": "conversation.deleted"},
            {
                "type": "must be one of conversation.created, conversation.assigned, "
                "conversation.customer_replied, conversation.agent_replied, "
                "conversation.closed, conversation.reopened"
            },
        ),
        (
            {"occurred_at": 1762058400},
            {"occurred_at": "must be an ISO 8601 date-time with a UTC offset"},
        ),
        (
            {"occurred_at": "2026-11-02T10:00:00"},
            {"occurred_at": "must include a UTC offset (e.g. +05:30 or Z)"},
        ),
        ({"occurred_at": "1969-12-31T23:59:00Z"}, {"occurred_at": "must be between 1970 and 2100"}),
        ({"conversation": "c-1"}, {"conversation": "must be an object with id and channel"}),
        ({"conversation": {"id": "c-1"}}, {"conversation.channel": "must be an object with id"}),
        (
            {"conversation": {"id": "c-1", "channel": {"id": "wa", "name": "n" * 201, "type": 3}}},
            {
                "conversation.channel.name": "must be at most 200 characters",
                "conversation.channel.type": "must be a string",
            },
        ),
        ({"agent": "asha"}, {"agent": "must be an object with id"}),
        (
            {"agent": {"id": "asha", "email": "e" * 255}},
            {"agent.email": "must be at most 254 characters"},
        ),
        (
            {"type": "conversation.assigned", "agent": None},
            {"agent": "is required for conversation.assigned"},
        ),
        # Every problem of the event, in field order, the agent rule included.
        (
            {"id": "", "occurred_at": "soon", "agent": None},
            {
                "id": "must be a non-empty string",
                "occurred_at": "must be an ISO 8601 date-time with a UTC offset",
                "agent": "is required for conversation.agent_replied",
            },
        ),
    ],
)
def test_each_problem_has_its_reason(changes, problems):
    assert event_parse(body(**changes)) == (None, problems)


def test_agent_is_optional_where_the_type_does_not_need_one():
    event, problems = event_parse(body(type="conversation.customer_replied", agent=None))

    assert problems == {}
    assert (event.type, event.agent_id, event.agent_name) == (EventType.CUSTOMER_REPLIED, None, "")


def test_not_an_object():
    assert event_parse(["evt-1"]) == (None, {"event": "must be a JSON object"})


def test_the_serializer_on_its_own_judges_like_the_batch_path():
    good = EventSerializer(data=body())
    no_agent = EventSerializer(data=body(agent=None))
    bad_channel = EventSerializer(data=body(conversation={"id": "c-1", "channel": "wa"}))

    assert good.is_valid(), good.errors
    assert not no_agent.is_valid()
    assert no_agent.errors == {"agent": ["is required for conversation.agent_replied"]}
    assert not bad_channel.is_valid()
    assert bad_channel.errors == {
        "conversation": {"channel": {"non_field_errors": ["must be an object with id"]}}
    }


def test_a_batch_names_every_invalid_event_and_keeps_none():
    events = [body(id="ok"), body(id=""), 7]

    with pytest.raises(AnalyticsError) as raised:
        events_parse(events=events)

    error = raised.value
    assert (error.code, error.status_code) == ("invalid_events", 400)
    assert error.message == "2 of 3 events are invalid; nothing was recorded."
    assert error.details == {
        "events": [
            {
                "index": 1,
                "reason": "id must be a non-empty string",
                "fields": {"id": "must be a non-empty string"},
            },
            {
                "index": 2,
                "reason": "event must be a JSON object",
                "fields": {"event": "must be a JSON object"},
            },
        ]
    }


@pytest.mark.parametrize(
    ("events", "code", "details"),
    [
        ([], "no_events", {}),
        ("evt", "no_events", {}),
        ([body()] * 1001, "batch_too_large", {"max_events": 1000, "received": 1001}),
    ],
)
def test_a_batch_needs_one_to_a_thousand_events(events, code, details):
    with pytest.raises(AnalyticsError) as raised:
        events_parse(events=events)

    assert (raised.value.code, raised.value.status_code, raised.value.details) == (
        code,
        400,
        details,
    )


def test_a_body_is_a_batch_or_one_event():
    one = body()

    assert event_batch_unwrap({"events": [one, one]}) == [one, one]
    assert event_batch_unwrap(one) == [one]
    for wrong in ({"events": {"id": 1}}, [one], "events"):
        with pytest.raises(AnalyticsError) as raised:
            event_batch_unwrap(wrong)
        assert raised.value.code == "invalid_events"


def test_the_documented_schema_is_the_serializer():
    from tenant_apps.analytics.urls import urlpatterns

    schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    batch = schema["paths"]["/api/analytics/events"]["post"]["requestBody"]
    assert batch["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EventBatchRequest"
    }
    assert components["EventBatchRequest"]["properties"]["events"]["maxItems"] == 1000
    assert components["EventRequest"]["required"] == ["conversation", "id", "occurred_at", "type"]
    # An id is a string (not blank, no NUL, like every such string a client sends) or a
    # support tool's number.
    [text, number] = components["EventRequest"]["properties"]["id"]["oneOf"]
    assert (text["type"], text["minLength"], text["maxLength"]) == ("string", 1, 100)
    assert text["pattern"] == "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    assert number == {"type": "integer"}
    assert components["EventRequest"]["properties"]["occurred_at"]["format"] == "date-time"
    assert components["ChannelRequest"]["properties"]["name"]["maxLength"] == 200
