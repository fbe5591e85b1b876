"""Demo data for the conversations tool: operators, clients in several zones, discount codes,
conversations with messages (some sent, some waiting for the client's window).

Idempotent: every row is found by a natural key (seller mobile, client e-mail, code, the
demo conversation of a client) and made only when missing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone as django_timezone
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Seller, StoreMembership
from tenant_apps.orders.discount_selectors import discount_find
from tenants.models import Store

from .events import conversation_analytics_record
from .models import Chat, Client, Conversation
from .payload import payload_parse, payload_render
from .selectors import client_discount_code
from .services import discount_code_set, operator_ensure
from .window import window_send_at

DEMO_OPERATORS = (
    ("+919876500101", "Priya Nair", "priya@demo.example.com"),
    ("+919876500102", "Sam Ortiz", "sam@demo.example.com"),
)

# name, e-mail, zone, mobile, discount code
DEMO_CLIENTS = (
    ("Asha Rao", "asha@demo.example.com", "Asia/Kolkata", "+919811100001", "ASHA10"),
    ("Ben Cole", "ben@demo.example.com", "America/New_York", "+12025550143", "BEN15"),
    ("Chloe Martin", "chloe@demo.example.com", "Europe/Paris", "", "CHLOE20"),
    ("Daiki Sato", "daiki@demo.example.com", "Asia/Tokyo", "", ""),
    ("Emma Wilson", "emma@demo.example.com", "Australia/Adelaide", "", "EMMA5"),
    ("Farhan Ahmed", "farhan@demo.example.com", "Asia/Kathmandu", "+9779841000001", ""),
)

# (author, payload): "o" operator, "c" client. The last operator message of a thread is left
# queued for the client's next window; the others were sent.
DEMO_THREADS = {
    "asha@demo.example.com": (
        ("c", "Hi, is the blue kurta back in stock?"),
        ("o", "Hi {{ username }}! Yes, restocked today."),
        ("c", "Great, any offer?"),
        ("o", "Sure {{ username }}. Here is your code {{ discountCode }}"),
    ),
    "ben@demo.example.com": (
        ("o", "Hello {{ username }}, your order has shipped 📦"),
        ("c", "Thanks! When will it arrive?"),
        ("o", "Within 3 days. Use {{ discountCode }} on your next order."),
    ),
    "chloe@demo.example.com": (
        ("c", "Can I change my delivery address?"),
        ("o", "Of course {{ username }}, reply with the new address."),
        ("c", "Done, thanks!"),
    ),
    "daiki@demo.example.com": (("o", "Welcome to our store, {{ username }}!"),),
    "emma@demo.example.com": (("o", "Hi {{ username }}, a little thank-you: {{ discountCode }}"),),
}


@dataclass
class DemoResult:
    operators: int
    clients: int
    conversations: int
    chats: int


def _operators(store: Store) -> list:
    sellers = [store.owner] if store.owner else []
    for mobile, name, email in DEMO_OPERATORS:
        seller = Seller.objects.filter(mobile=mobile).first() or Seller.objects.create_user(
            mobile=mobile, email=email, name=name
        )
        StoreMembership.objects.get_or_create(
            store=store, seller=seller, defaults={"role": StoreMembership.Role.STAFF}
        )
        sellers.append(seller)
    return [operator_ensure(seller=seller) for seller in sellers]


def _thread_create(*, conversation: Conversation, lines, now: datetime) -> list[Chat]:
    client = conversation.client
    active = client_discount_code(client=client)
    values = {"username": client.name, "discountCode": active.code if active else ""}
    written = now - timedelta(days=2, hours=len(lines))
    conversation.created_at = written - timedelta(minutes=5)
    conversation.save(update_fields=["created_at"])
    chats = []
    for position, (author, payload) in enumerate(lines):
        parsed = payload_parse(payload)
        chat = Chat(
            conversation=conversation,
            payload=parsed.text,
            rendered=payload_render(parsed, values=values),
            created_at=written,
        )
        last = position == len(lines) - 1
        if author == "c":
            chat.author, chat.author_kind = client, Chat.Author.CLIENT
            chat.status, chat.sent_at = Chat.Status.SENT, written
        elif last:
            # Waits for the client's next window: the hourly job will e-mail it.
            chat.author, chat.author_kind = conversation.operator, Chat.Author.OPERATOR
            chat.status = Chat.Status.QUEUED
            chat.created_at = now
            chat.scheduled_for = window_send_at(moment=now, timezone=client.timezone)
            if chat.scheduled_for == now:
                chat.scheduled_for = now + timedelta(hours=1)
            chat.next_attempt_at = chat.scheduled_for
        else:
            chat.author, chat.author_kind = conversation.operator, Chat.Author.OPERATOR
            send_at = window_send_at(moment=written, timezone=client.timezone)
            chat.status, chat.scheduled_for = Chat.Status.SENT, send_at
            chat.next_attempt_at, chat.sent_at, chat.attempts = send_at, send_at, 1
        chat.save()
        chats.append(chat)
        written += timedelta(hours=1)
    return chats


@transaction.atomic
def conversation_demo_load(*, now: datetime | None = None) -> DemoResult:
    """Create what is missing of the demo data in the current store."""
    now = now or django_timezone.now()
    store = Store.objects.get(schema_name=connection.schema_name)
    operators = _operators(store)
    made_conversations, made_chats = [], []
    for index, (name, email, zone, mobile, code) in enumerate(DEMO_CLIENTS):
        client = Client.objects.filter(email__iexact=email).first()
        if client is None:
            client = Client.objects.create(name=name, email=email, timezone=zone, mobile=mobile)
        if code and discount_find(code=code) is None:
            discount_code_set(client=client, code=code)
        lines = DEMO_THREADS.get(email)
        if not lines or Conversation.objects.filter(client=client).exists():
            continue
        conversation = Conversation.objects.create(
            client=client, operator=operators[index % len(operators)]
        )
        made_conversations.append(conversation)
        made_chats += _thread_create(conversation=conversation, lines=lines, now=now)
    # Closed example: Chloe's question was answered.
    chloe = Conversation.objects.filter(client__email="chloe@demo.example.com").first()
    if chloe and chloe in made_conversations:
        chloe.status, chloe.closed_at = Conversation.Status.CLOSED, now - timedelta(hours=1)
        chloe.save(update_fields=["status", "closed_at"])

    schema_name = connection.schema_name

    def record():
        # Runs after the commit, possibly after the caller left the store's schema.
        with schema_context(schema_name):
            _record()

    def _record():
        for conversation in made_conversations:
            conversation_analytics_record(kind="opened", object_id=conversation.pk)
        for chat in made_chats:
            conversation_analytics_record(kind="chat", object_id=chat.pk)
        if chloe and chloe in made_conversations:
            conversation_analytics_record(kind="closed", object_id=chloe.pk)

    transaction.on_commit(record)
    return DemoResult(
        operators=len(operators),
        clients=Client.objects.count(),
        conversations=Conversation.objects.count(),
        chats=Chat.objects.count(),
    )
