"""Recompute every rollup row and conversation state from the recorded events."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from saas.access.timezone import current_store_timezone

from . import storage
from .replay import ConversationReplay, conversation_replay


@dataclass(frozen=True)
class RebuildResult:
    conversations: int
    events: int
    rollup_rows: int


@transaction.atomic
def analytics_rollups_rebuild(*, chunk_size: int = 2000) -> RebuildResult:
    """Idempotent: the rollups are emptied and refilled by the same replay ingestion uses, so
    running it twice (or after any sequence of deliveries) gives the same rows. Ingestion waits
    for it (the tables are locked), so no event is lost or counted twice meanwhile. The day rows
    are re-keyed to the store's current timezone.
    """
    rollup_tz = current_store_timezone()
    conversation_ids = storage.rollups_clear_for_rebuild(rollup_tz)
    events = 0
    for offset in range(0, len(conversation_ids), chunk_size):
        chunk = conversation_ids[offset : offset + chunk_size]
        deltas: dict = {}
        replays: dict[int, ConversationReplay] = {}
        stored_by_conversation = storage.events_of_conversations(chunk)
        for conversation_id in chunk:
            stored = stored_by_conversation.get(conversation_id, [])
            events += len(stored)
            replay = conversation_replay(stored)
            storage.rollup_deltas_add(deltas, replay.facts, rollup_tz)
            replays[conversation_id] = replay
        storage.rollup_increment(deltas=deltas)
        storage.states_write(replays)
    return RebuildResult(
        conversations=len(conversation_ids), events=events, rollup_rows=storage.rollup_row_count()
    )
