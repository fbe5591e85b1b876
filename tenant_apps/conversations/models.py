"""Operators and clients of a store, their conversations and the messages in them.

Operators and clients share one id space (`Participant`, multi-table inheritance): a chat's
`userId` names either one without ambiguity, and the ids shown for a conversation's operator
and client are exactly the ids a chat accepts as `userId`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tenants.models import validate_timezone


class Participant(models.Model):
    """Anyone who writes in a conversation: the id space of a chat's `userId`."""

    class Kind(models.TextChoices):
        OPERATOR = "operator", "Operator"
        CLIENT = "client", "Client"

    kind = models.CharField(max_length=10, choices=Kind.choices, editable=False)
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"{self.name} ({self.kind} {self.pk})"


class Operator(Participant):
    """A store member acting as operator; made on demand the first time they take part."""

    # The seller lives in the public schema. No database constraint: a public row is never
    # tied to a store table (deleting a seller must not depend on every store's schema).
    seller = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    email = models.EmailField(blank=True)

    def save(self, *args, **kwargs):
        self.kind = Participant.Kind.OPERATOR
        super().save(*args, **kwargs)


class Client(Participant):
    """A client of the store; the same person as a storefront customer with the same mobile."""

    email = models.EmailField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    # E.164, normalised like the storefront's OTP login, so the two match by plain equality.
    mobile = models.CharField(max_length=16, blank=True, db_index=True)
    # Set by the one-click unsubscribe link of our e-mails: the store mails this client no more.
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "participant_ptr_id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="conversations_client_email_ci_unique"),
        ]

    def save(self, *args, **kwargs):
        self.kind = Participant.Kind.CLIENT
        super().save(*args, **kwargs)


class DiscountCode(models.Model):
    """A store discount code (the orders tool's) given to one client, for `{{ discountCode }}`.

    The code itself, its value and its uses live in orders.DiscountCode, limited to this
    client's mobile and e-mail and to one use; this row only says which client it was given
    to (the orders tool knows nothing of conversations). The client's code is their newest one
    a buyer can still use (discount_codes_usable).
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="discount_codes")
    discount = models.OneToOneField(
        "orders.DiscountCode", on_delete=models.CASCADE, related_name="conversation_client"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.discount.code

    @property
    def code(self) -> str:
        return self.discount.code

    @property
    def is_active(self) -> bool:
        return self.discount.is_active


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="conversations")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="conversations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The last time a closed conversation was opened again (none: never reopened).
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"Conversation {self.pk} ({self.status})"


class Chat(models.Model):
    """One message. Operator messages are e-mailed to the client inside the client's window.

    Sending goes queued -> sending -> sent (or back to queued for a retry, or failed). Rows are
    claimed with SELECT ... FOR UPDATE SKIP LOCKED and the claim is committed before the
    e-mail leaves, so two dispatchers never send one message twice.
    """

    class Author(models.TextChoices):
        OPERATOR = "operator", "Operator"
        CLIENT = "client", "Client"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    class Held(models.TextChoices):
        """Why a queued message waits besides the client's window (docs/conversations.md).

        Only DAILY_QUOTA is stored; VERIFY_ACCOUNT is read live from the store owner's account.
        """

        VERIFY_ACCOUNT = "verify_account", "Waits for the store owner to verify their account"
        DAILY_QUOTA = "daily_quota", "Waits for the next day of the store's mail quota"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="chats")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="chats")
    author_kind = models.CharField(max_length=10, choices=Author.choices)
    payload = models.CharField(max_length=300)
    rendered = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the message was planned to leave (the client's window); null for client messages.
    scheduled_for = models.DateTimeField(null=True, blank=True)
    # When a dispatcher may next claim it: scheduled_for, later after a failure (backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    held = models.CharField(max_length=20, choices=Held.choices, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="conversations_chat_due",
            ),
            models.Index(fields=["conversation", "created_at", "id"]),
        ]

    def __str__(self):
        return f"Chat {self.pk} ({self.status})"


class MailQuotaDay(models.Model):
    """Conversation e-mails claimed for sending on one day of the store (in its timezone).

    Counted with one upsert per claim that stops at the quota, so two dispatchers can never
    pass it together (see quota.py).
    """

    day = models.DateField(unique=True)
    sent = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.sent}"
