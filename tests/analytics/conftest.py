"""Helpers to build events in the API's JSON shape and read the rollups back."""

import itertools

import pytest

from tests.conftest import in_store

_numbers = itertools.count(1)


def event(
    kind: str,
    at: str,
    conversation: str = "c-1",
    agent: str | None = None,
    channel: str = "wa-1",
    event_id: str | None = None,
    **extra,
) -> dict:
    """One event; `kind` is the type without the "conversation." prefix."""
    body = {
        "id": event_id or f"evt-{next(_numbers)}",
        "type": f"conversation.{kind}",
        "occurred_at": at,
        "conversation": {
            "id": conversation,
            "channel": {"id": channel, "name": channel.upper(), "type": "whatsapp"},
        },
    }
    if agent:
        body["agent"] = {"id": agent, "name": agent.title(), "email": f"{agent}@example.com"}
    body.update(extra)
    return body


@pytest.fixture
def in_a(store_a):
    """`with in_a:` runs ORM code inside store A."""
    return in_store(store_a)
