"""The ingestion API's event schema, written once: `EventSerializer` is both what /api/schema/
documents and what every incoming event is validated with.

A batch is all or nothing: `events_parse` returns every event parsed, or raises one error that
names each invalid event by its index with a reason per field ("conversation.channel.id must be
a non-empty string"), so the sender can fix them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from .errors import AnalyticsError, AnalyticsErrorCode
from .models import EventType

MAX_BATCH_EVENTS = 1000
MAX_ID_LENGTH = 100

EVENT_TYPES_BY_NAME = {label: value for value, label in EventType.choices}
AGENT_REQUIRED_TYPES = frozenset({EventType.ASSIGNED, EventType.AGENT_REPLIED})


@dataclass(frozen=True)
class ParsedEvent:
    event_id: str
    type: int
    occurred_at: datetime
    conversation_id: str
    channel_id: str
    channel_name: str
    channel_type: str
    agent_id: str | None
    agent_name: str
    agent_email: str


# --------------------------------------------------------------------------- fields
# Each field does all of its checking in `run_validation`, so a value is judged the same way
# wherever the field is used, and a support tool's numeric ids (42) are ids too.


NUL_MESSAGE = "must not hold a NUL character (\\x00)"


@extend_schema_field(
    {"oneOf": [{"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH}, {"type": "integer"}]}
)
class ExternalIdField(serializers.CharField):
    """An id from the store's support tool: a non-empty string or a number, stripped."""

    default_error_messages = {
        "invalid": "must be a non-empty string",
        "max_length": "must be at most {max_length} characters",
        "null_characters_not_allowed": NUL_MESSAGE,
    }

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_ID_LENGTH, **kwargs)

    def run_validation(self, data=empty):
        # bool is an int; a missing or null id is as wrong as an empty one.
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        text = str(data).strip()
        if not text:
            self.fail("invalid")
        if "\x00" in text:  # PostgreSQL text cannot hold it
            self.fail("null_characters_not_allowed")
        if len(text) > MAX_ID_LENGTH:
            self.fail("max_length", max_length=MAX_ID_LENGTH)
        return text


class OptionalTextField(serializers.CharField):
    """A display value (a name, an e-mail); missing or null is "", which erases nothing."""

    default_error_messages = {
        "invalid": "must be a string",
        "max_length": "must be at most {max_length} characters",
        "null_characters_not_allowed": NUL_MESSAGE,
    }

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(
            max_length=max_length, required=False, allow_null=True, allow_blank=True, **kwargs
        )

    def run_validation(self, data=empty):
        if data is empty or data is None:
            return ""
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:  # PostgreSQL text cannot hold it
            self.fail("null_characters_not_allowed")
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return data.strip()


class EventTypeField(serializers.ChoiceField):
    """An event type name → its EventType value."""

    default_error_messages = {"invalid_choice": "must be one of " + ", ".join(EVENT_TYPES_BY_NAME)}

    def __init__(self, **kwargs):
        super().__init__(choices=list(EVENT_TYPES_BY_NAME), **kwargs)

    def run_validation(self, data=empty):
        event_type = EVENT_TYPES_BY_NAME.get(data) if isinstance(data, str) else None
        if event_type is None:
            self.fail("invalid_choice")
        return event_type


class OccurredAtField(serializers.DateTimeField):
    """An ISO 8601 instant with its UTC offset, as UTC."""

    default_error_messages = {
        "invalid": "must be an ISO 8601 date-time with a UTC offset",
        # A naive time is ambiguous: whose midnight would it count in?
        "naive": "must include a UTC offset (e.g. +05:30 or Z)",
        "out_of_range": "must be between 1970 and 2100",
    }

    def run_validation(self, data=empty):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            moment = datetime.fromisoformat(data.strip())
        except ValueError:
            self.fail("invalid")
        if moment.utcoffset() is None:
            self.fail("naive")
        if not 1970 <= moment.year <= 2100:
            self.fail("out_of_range")
        return moment.astimezone(UTC)


# --------------------------------------------------------------------------- the schema


def _object_messages(text: str) -> dict:
    # A nested object that is missing, null or not an object: one sentence for all three.
    return {"required": text, "null": text, "invalid": text}


class ChannelSerializer(serializers.Serializer):
    default_error_messages = _object_messages("must be an object with id")

    id = ExternalIdField()
    name = OptionalTextField(max_length=200)
    type = OptionalTextField(max_length=50, help_text="e.g. whatsapp, email, web")


class ConversationSerializer(serializers.Serializer):
    default_error_messages = _object_messages("must be an object with id and channel")

    id = ExternalIdField()
    channel = ChannelSerializer()


class AgentSerializer(serializers.Serializer):
    default_error_messages = _object_messages("must be an object with id")

    id = ExternalIdField()
    name = OptionalTextField(max_length=200)
    email = OptionalTextField(max_length=254)


class EventSerializer(serializers.Serializer):
    """One support event, e.g. a customer's reply in a conversation."""

    default_error_messages = {
        **_object_messages("must be a JSON object"),
        "agent_required": "is required for {type}",
    }

    id = ExternalIdField(
        help_text="Unique; an id seen before is skipped (re-deliveries count once)."
    )
    type = EventTypeField()
    occurred_at = OccurredAtField(help_text="ISO 8601 with a UTC offset, e.g. 2026-11-02T10:00Z.")
    conversation = ConversationSerializer()
    agent = AgentSerializer(
        required=False, allow_null=True, help_text="Required for assigned and agent_replied."
    )

    def validate(self, attrs):
        # Run by `events_parse` on whatever fields are valid, so one answer names every problem.
        event_type = attrs.get("type")
        if event_type in AGENT_REQUIRED_TYPES and attrs.get("agent") is None:
            message = self.error_messages["agent_required"].format(type=EventType(event_type).label)
            raise serializers.ValidationError({"agent": message}, code="agent_required")
        return attrs


class EventBatchSerializer(serializers.Serializer):
    """The request body: a batch (or a single event object, documented as a batch of one)."""

    events = serializers.ListField(
        child=EventSerializer(), min_length=1, max_length=MAX_BATCH_EVENTS
    )


# --------------------------------------------------------------------------- validation
# `EventSerializer(data=batch, many=True).is_valid()` judges a batch the same way, at a quarter
# of the speed: 45k events/s against 190k for the walk below, on the benchmark's batches (the
# hand-written parser this replaced did 250k). DRF's per-field machinery (get_value, validator
# lists, empty checks, ordered dicts) costs more than the checks themselves. So a batch walks the
# serializer's own fields and calls their `run_validation`; the schema and every rule stay in the
# classes above, and tests/analytics/test_events.py holds the two paths to the same answers.


def _first_message(detail) -> str:
    while isinstance(detail, list | dict):
        detail = detail[0] if isinstance(detail, list) else next(iter(detail.values()))
    return str(detail)


def _where(path: str, name: str) -> str:
    # The event itself is "event" in reasons ("event must be a JSON object"); its fields go by
    # their own names ("id", "conversation.channel.id").
    return name if path == "event" else f"{path}.{name}"


# serializer -> ((field name, field, is a nested serializer), ...), and whether it has its own
# `validate`; bound once, as iterating DRF's BindingDict per event costs more than the checks.
_PLANS: dict[serializers.Serializer, tuple[tuple, bool]] = {}


def _plan(serializer: serializers.Serializer) -> tuple[tuple, bool]:
    plan = _PLANS.get(serializer)
    if plan is None:
        steps = tuple(
            (name, field, isinstance(field, serializers.Serializer))
            for name, field in serializer.fields.items()
        )
        has_rules = type(serializer).validate is not serializers.Serializer.validate
        plan = _PLANS[serializer] = (steps, has_rules)
    return plan


def _nested_validate(field: serializers.Serializer, value, where: str, problems: dict):
    if value is empty and not field.required:
        return None
    if value is None and field.allow_null:
        return None
    if value is empty or value is None:
        field.fail("required" if value is empty else "null")
    return _object_validate(field, value, where, problems)


def _object_validate(serializer: serializers.Serializer, raw, path: str, problems: dict):
    """`raw` checked against `serializer`'s fields, as DRF would; each problem goes into
    `problems` under its dotted path ("conversation.channel.id"). Returns the values."""
    if not isinstance(raw, dict):
        problems[path] = serializer.error_messages["invalid"]
        return None
    steps, has_rules = _plan(serializer)
    values: dict[str, Any] = {}
    for name, field, nested in steps:
        try:
            if nested:
                value = _nested_validate(field, raw.get(name, empty), _where(path, name), problems)
            else:
                value = field.run_validation(raw.get(name, empty))
        except serializers.ValidationError as error:
            problems[_where(path, name)] = _first_message(error.detail)
        else:
            values[name] = value
    if has_rules:
        try:
            serializer.validate(values)
        except serializers.ValidationError as error:
            for name, detail in error.detail.items():
                problems.setdefault(_where(path, name), _first_message(detail))
    return values


_EVENT_SERIALIZER = EventSerializer()


def event_parse(raw: Any) -> tuple[ParsedEvent | None, dict[str, str]]:
    """One event of the API's JSON shape → (event, {}) or (None, {field: reason})."""
    problems: dict[str, str] = {}
    values = _object_validate(_EVENT_SERIALIZER, raw, "event", problems)
    if problems:
        return None, problems
    conversation, agent = values["conversation"], values["agent"] or {}
    channel = conversation["channel"]
    return (
        ParsedEvent(
            event_id=values["id"],
            type=values["type"],
            occurred_at=values["occurred_at"],
            conversation_id=conversation["id"],
            channel_id=channel["id"],
            channel_name=channel["name"],
            channel_type=channel["type"],
            agent_id=agent.get("id"),
            agent_name=agent.get("name", ""),
            agent_email=agent.get("email", ""),
        ),
        {},
    )


def events_parse(*, events: list) -> list[ParsedEvent]:
    """The whole batch or an error naming every invalid event (index and reasons)."""
    if not isinstance(events, list) or not events:
        raise AnalyticsError(
            'Send one event or {"events": [...]} with at least one event.',
            code=AnalyticsErrorCode.NO_EVENTS,
        )
    if len(events) > MAX_BATCH_EVENTS:
        raise AnalyticsError(
            f"A batch holds at most {MAX_BATCH_EVENTS} events.",
            code=AnalyticsErrorCode.BATCH_TOO_LARGE,
            details={"max_events": MAX_BATCH_EVENTS, "received": len(events)},
        )
    parsed: list[ParsedEvent] = []
    invalid = []
    for index, raw in enumerate(events):
        event, problems = event_parse(raw)
        if problems:
            field, reason = next(iter(problems.items()))
            invalid.append({"index": index, "reason": f"{field} {reason}", "fields": problems})
        else:
            parsed.append(event)
    if invalid:
        raise AnalyticsError(
            f"{len(invalid)} of {len(events)} events are invalid; nothing was recorded.",
            code=AnalyticsErrorCode.INVALID_EVENTS,
            details={"events": invalid},
        )
    return parsed


def event_batch_unwrap(body: Any) -> list:
    """The events of a request body: `{"events": [...]}`, or one event object on its own."""
    if isinstance(body, dict) and "events" in body:
        if not isinstance(body["events"], list):
            raise AnalyticsError("events must be a list.", code=AnalyticsErrorCode.INVALID_EVENTS)
        return body["events"]
    if isinstance(body, dict):
        return [body]
    raise AnalyticsError(
        'Send one event object or {"events": [...]}.', code=AnalyticsErrorCode.INVALID_EVENTS
    )
