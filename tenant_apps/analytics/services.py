"""Every write of support analytics, the doors other code uses: event ingestion (here), rollup
rebuild (rebuild.py) and ingestion tokens (tokens.py). The pieces live by job: events.py
validates, replay.py holds the metric rules, storage.py the SQL.

Ingestion in one transaction per batch:

1. validate the whole batch (any invalid event: nothing is recorded);
2. create or update the agents and channels named in it;
3. lock the state rows of the conversations it touches (concurrent batches for one
   conversation wait for each other, so a difference is never computed twice from one state);
4. insert the event ids, skipping those seen before (re-deliveries count once);
5. replay each touched conversation's events in occurred_at order, before and after the new
   events, and add the difference to the rollups with one upsert that adds.

The metrics of a conversation are a function of the *set* of its events (see replay.py), never
of arrival order. A late event changes the contribution of its conversation; the difference —
possibly negative for buckets that lose a fact — is what gets added, so the rollups always equal
those of the same events delivered in time order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import storage
from .events import ParsedEvent, events_parse
from .rebuild import RebuildResult, analytics_rollups_rebuild
from .replay import ConversationReplay, conversation_replay, facts_difference
from .tokens import ingestion_token_create, ingestion_token_delete

__all__ = [
    "IngestResult",
    "RebuildResult",
    "analytics_events_ingest",
    "analytics_rollups_rebuild",
    "ingestion_token_create",
    "ingestion_token_delete",
]


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    duplicates: int


@transaction.atomic
def analytics_events_ingest(*, events: list[dict]) -> IngestResult:
    """Record a batch of events (API JSON shape) and add them to the rollups at once.

    The whole batch is validated first; an invalid event raises AnalyticsError
    (code "invalid_events") and nothing is recorded. An event id seen before — in an earlier
    batch or earlier in this one — is skipped and counted in `duplicates`.
    """
    parsed = events_parse(events=events)
    rollup_tz = storage.rollup_timezone_hold()

    unique: dict[str, ParsedEvent] = {}
    for event in parsed:
        unique.setdefault(event.event_id, event)
    batch = list(unique.values())

    # Always in this order (agents, channels, conversations), so batches lock rows alike.
    agent_rows, channel_rows = storage.latest_metadata(batch)
    agent_pks = storage.metadata_upsert("analytics_agent", agent_rows, ("name", "email"))
    channel_pks = storage.metadata_upsert("analytics_channel", channel_rows, ("name", "type"))
    conversation_pks = storage.conversations_lock({e.conversation_id for e in batch})
    inserted = storage.events_insert(
        batch, conversation_pks=conversation_pks, agent_pks=agent_pks, channel_pks=channel_pks
    )

    new_event_ids = {event_id for event_id, _ in inserted}
    changed_conversations = sorted({conversation_id for _, conversation_id in inserted})
    deltas: dict = {}
    replays: dict[int, ConversationReplay] = {}
    for conversation_id, stored in storage.events_of_conversations(changed_conversations).items():
        before = conversation_replay([e for e in stored if e.event_id not in new_event_ids])
        after = conversation_replay(stored)
        storage.rollup_deltas_add(deltas, facts_difference(after.facts, before.facts), rollup_tz)
        replays[conversation_id] = after
    storage.rollup_increment(deltas=deltas)
    storage.states_write(replays)

    accepted = len(new_event_ids)
    return IngestResult(accepted=accepted, duplicates=len(parsed) - accepted)
