"""Support analytics storage: pre-aggregated rollups, one state row per conversation, and the
events seen so far (so a re-delivered event never counts twice and a late one can be replayed).

Reads never aggregate over `Event`; they sum `Rollup` rows (see selectors.py).
"""

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import models

from saas.access.tokens import HashedKeyToken

# Rollup buckets are 15 minutes long. Every IANA timezone in use today has a UTC offset that is
# a whole number of quarter hours (+05:30 Asia/Kolkata, +05:45 Asia/Kathmandu, +08:45
# Australia/Eucla, -09:30 Pacific/Marquesas), and every DST change moves the clock by 30 or 60
# minutes at a quarter-hour instant. So a local day — and a local hour — always starts and ends
# on a 15-minute UTC boundary, and summing whole buckets gives exact days in any zone. Hourly
# buckets would split the Kolkata and Kathmandu days; 15 minutes is the largest size that never
# does. Coarser rows are kept too (UTC hours, and days of the store's timezone), but only as sums
# of whole quarter hours: a read uses them for the parts of its range they cover exactly and
# quarter hours for the rest, so every answer stays exact in any zone.
BUCKET_SECONDS = 15 * 60
HOUR_SECONDS = 60 * 60


# Cached: a one-year daily series asks for the same few hundred midnights on every read.
@lru_cache(maxsize=16384)
def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant a local day starts. Where DST skips midnight (e.g. America/Santiago),
    fold=0 maps the missing 00:00 onto the transition instant, which is when that day starts."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def day_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant the local day holding `moment` starts: the key of its day row."""
    return local_midnight(moment.astimezone(tz).date(), tz)


@lru_cache(maxsize=16384)
def day_start_epoch(epoch: int, tz: ZoneInfo) -> int:
    """day_start in epoch seconds."""
    return int(day_start(datetime.fromtimestamp(epoch, UTC), tz).timestamp())


# The `agent_id` / `channel_id` of a rollup row: a real Agent/Channel pk, or one of these.
NONE_KEY = 0  # the event had no agent (e.g. an unassigned conversation was created)
ALL_KEY = -1  # the row adds up every agent (or every channel)


class IngestionToken(HashedKeyToken):
    """A store-scoped key for the store's support backend; only its hash is kept."""

    KEY_PREFIX = "ing_"
    KEY_RANDOM_BYTES = 20

    name = models.CharField(max_length=100)
    created_by_id = models.BigIntegerField(null=True, blank=True, help_text="Seller id")

    class Meta:
        ordering = ["-created_at", "-id"]


class Agent(models.Model):
    external_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "external_id"]

    def __str__(self):
        return self.name or self.external_id


class Channel(models.Model):
    external_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "external_id"]

    def __str__(self):
        return self.name or self.external_id


class EventType(models.IntegerChoices):
    # The value is also the tie-break rank when two events of one conversation share a
    # timestamp: a conversation is created before it is assigned, answered or closed.
    CREATED = 1, "conversation.created"
    ASSIGNED = 2, "conversation.assigned"
    CUSTOMER_REPLIED = 3, "conversation.customer_replied"
    AGENT_REPLIED = 4, "conversation.agent_replied"
    CLOSED = 5, "conversation.closed"
    REOPENED = 6, "conversation.reopened"


class ConversationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ConversationState(models.Model):
    """What the events of one conversation say about it now (replayed in occurred_at order)."""

    external_id = models.CharField(max_length=100, unique=True)
    channel = models.ForeignKey(Channel, null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    created_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(Agent, null=True, on_delete=models.PROTECT, related_name="+")
    waiting_since = models.DateTimeField(null=True, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["assignee", "channel"],
                name="analytics_open_conversations",
                condition=models.Q(status="open"),
            )
        ]

    def __str__(self):
        return self.external_id


class Event(models.Model):
    """A seen event id, with the few facts the rollups were computed from."""

    event_id = models.CharField(max_length=100, unique=True)
    conversation = models.ForeignKey(
        ConversationState, on_delete=models.CASCADE, related_name="events"
    )
    type = models.PositiveSmallIntegerField(choices=EventType.choices)
    occurred_at = models.DateTimeField()
    agent = models.ForeignKey(Agent, null=True, on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return self.event_id


class RollupPeriod(models.IntegerChoices):
    """The levels every change is written at. Quarter hours are the exact unit; UTC hours and
    store days are sums of them, kept so long ranges read few rows (see selectors.rollup_ranges)."""

    QUARTER_HOUR = 1, "15 minutes"
    STORE_DAY = 2, "day in the rollup timezone"
    UTC_HOUR = 3, "UTC hour"


class RollupTimezone(models.Model):
    """The timezone whose local days the day rows are (one row, id 1).

    It is the store's timezone, fixed at the first ingestion so that every day row of a store
    splits time the same way; reads in that zone then take one row per day. Reads in any other
    zone stay exact (they use hours and quarter hours around its days). `analytics_rebuild`
    re-keys the days to the store's current timezone.
    """

    name = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="analytics_rollup_timezone_one")
        ]

    def __str__(self):
        return self.name


# The counters of a rollup row, in column order (the upsert and the reads use this list).
ROLLUP_COUNTERS = (
    "conversations_created",
    "conversations_assigned",
    "conversations_closed",
    "conversations_reopened",
    "agent_replies",
    "customer_replies",
    "first_response_seconds_sum",
    "first_response_count",
    "resolution_seconds_sum",
    "resolution_count",
    "reply_seconds_sum",
    "reply_count",
)


class Rollup(models.Model):
    """Counts and duration sums for one bucket and one (agent, channel) key.

    Each change is written at three periods — the 15-minute bucket, the UTC hour and the day of
    the rollup timezone — and at four keys: (agent, channel), (agent, all), (all, channel),
    (all, all). A range is read as whole days, then whole hours, then quarter hours at its ragged
    ends: in the store's timezone a one-year summary sums 365 rows and a daily series one row a
    day, however many events there are.
    """

    period = models.PositiveSmallIntegerField(choices=RollupPeriod.choices)
    bucket = models.DateTimeField()
    agent_id = models.BigIntegerField()
    channel_id = models.BigIntegerField()
    conversations_created = models.BigIntegerField(default=0)
    conversations_assigned = models.BigIntegerField(default=0)
    conversations_closed = models.BigIntegerField(default=0)
    conversations_reopened = models.BigIntegerField(default=0)
    agent_replies = models.BigIntegerField(default=0)
    customer_replies = models.BigIntegerField(default=0)
    first_response_seconds_sum = models.BigIntegerField(default=0)
    first_response_count = models.BigIntegerField(default=0)
    resolution_seconds_sum = models.BigIntegerField(default=0)
    resolution_count = models.BigIntegerField(default=0)
    reply_seconds_sum = models.BigIntegerField(default=0)
    reply_count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # Column order serves the reads: one key, one period, a range of buckets.
            models.UniqueConstraint(
                fields=["agent_id", "channel_id", "period", "bucket"],
                name="analytics_rollup_key",
            )
        ]

    def __str__(self):
        key = f"{self.agent_id}/{self.channel_id}"
        return f"{self.get_period_display()} {self.bucket:%Y-%m-%d %H:%M} {key}"
