"""Support-tool events in the ingestion API's JSON shape."""

import itertools

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
