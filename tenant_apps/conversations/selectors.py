"""Reads of the conversations tool."""

from django.db.models import Prefetch, QuerySet

from saas.api.errors import NotFoundError

from .models import Chat, Client, Conversation, DiscountCode, Operator


def client_list(*, search: str = "") -> QuerySet[Client]:
    clients = Client.objects.prefetch_related(
        Prefetch(
            "discount_codes",
            queryset=DiscountCode.objects.filter(is_active=True),
            to_attr="active_codes",
        )
    ).order_by("name", "pk")
    if search:
        clients = clients.filter(name__icontains=search) | clients.filter(email__icontains=search)
    return clients


def client_get(*, client_id: int) -> Client:
    client = client_list().filter(pk=client_id).first()
    if client is None:
        raise NotFoundError("No such client.", code="client_not_found")
    return client


def client_active_code(client: Client) -> str | None:
    codes = getattr(client, "active_codes", None)
    if codes is None:
        codes = list(client.discount_codes.filter(is_active=True))
    return codes[0].code if codes else None


def operator_list() -> QuerySet[Operator]:
    return Operator.objects.order_by("name", "pk")


def operator_get(*, operator_id: int) -> Operator:
    operator = Operator.objects.filter(pk=operator_id).first()
    if operator is None:
        raise NotFoundError("No such operator.", code="operator_not_found")
    return operator


def conversation_list(
    *, status: str | None = None, client_id: int | None = None, operator_id: int | None = None
) -> QuerySet[Conversation]:
    conversations = Conversation.objects.select_related("client", "operator").order_by(
        "-created_at", "-pk"
    )
    if status:
        conversations = conversations.filter(status=status)
    if client_id is not None:
        conversations = conversations.filter(client_id=client_id)
    if operator_id is not None:
        conversations = conversations.filter(operator_id=operator_id)
    return conversations


def conversation_get(*, conversation_id: int) -> Conversation:
    conversation = conversation_list().filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFoundError("No such conversation.", code="conversation_not_found")
    return conversation


def conversation_detail(*, conversation_id: int) -> Conversation:
    """One conversation with its chats, oldest first."""
    conversation = (
        conversation_list()
        .prefetch_related(Prefetch("chats", queryset=Chat.objects.order_by("created_at", "pk")))
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFoundError("No such conversation.", code="conversation_not_found")
    return conversation
