"""HTTP APIs of the conversations tool (store host, store members only).

The Cartloop contract (`/conversation/`, `/chat/`) and `/api/clients` answer camelCase: the
camelCase names live in the serializers only, each mapped to our snake_case names by `source`.
"""

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.pagination import StandardPagination

from .models import Chat, Conversation
from .selectors import (
    client_get,
    client_list,
    conversation_detail,
    conversation_get,
    conversation_list,
    store_mail_sender_verified,
)
from .services import (
    chat_create,
    client_create,
    conversation_close,
    conversation_open,
    discount_code_set,
    operator_list_joining,
)

ID_MAX = 2**63 - 1


def _id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class _TextField(serializers.CharField):
    """A string as sent: no coercion of numbers, no trimming, and control characters are left
    to the payload rules so the error code names the rule that failed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return data


def _chat_status(chat: Chat) -> str:
    # "sending" lasts the time of one SMTP call; to the reader the message is still queued.
    return Chat.Status.QUEUED if chat.status == Chat.Status.SENDING else chat.status


@extend_schema_field(
    # OpenAPI 3.0: a nullable enum lists null among its values.
    {"type": "string", "enum": [*Chat.Held.values, None], "nullable": True}
)
class _HeldField(serializers.Field):
    """Why a queued message is kept besides its client's window, or null.

    The serializer's context says whether the store owner is verified
    (`store_mail_sender_verified()`, read once per answer).
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, chat) -> str | None:
        if _chat_status(chat) != Chat.Status.QUEUED:
            return None
        if not self.context.get("sender_verified", True):
            return Chat.Held.VERIFY_ACCOUNT.value
        return chat.held or None


class OperatorOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class ClientBriefOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    email = serializers.EmailField()
    timezone = serializers.CharField()


class ClientOutput(ClientBriefOutput):
    mobile = serializers.CharField()
    # Annotated by the client selectors: the client's active code, or None.
    discountCode = serializers.CharField(
        source="active_discount_code", allow_null=True, read_only=True
    )
    createdAt = serializers.DateTimeField(source="created_at")
    # snake_case as the issue names it: set by the client's one-click unsubscribe, else null.
    unsubscribed_at = serializers.DateTimeField(allow_null=True)


class ConversationOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    operator = OperatorOutput()
    client = ClientBriefOutput()
    createdAt = serializers.DateTimeField(source="created_at")
    closedAt = serializers.DateTimeField(source="closed_at", allow_null=True)


def _paginated(request, view, queryset, serializer_class) -> Response:
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class ConversationDetailApi(APIView):
    class ChatOutput(serializers.Serializer):
        chatId = serializers.IntegerField(source="pk")
        payload = serializers.CharField()
        rendered = serializers.CharField()
        userId = serializers.IntegerField(source="author_id")
        status = serializers.SerializerMethodField()
        createdAt = serializers.DateTimeField(source="created_at")
        scheduledFor = serializers.DateTimeField(source="scheduled_for", allow_null=True)
        sentAt = serializers.DateTimeField(source="sent_at", allow_null=True)
        held = _HeldField()

        def get_status(self, chat) -> str:
            return _chat_status(chat)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="pk")
        status = serializers.CharField()
        operator = OperatorOutput()
        client = ClientBriefOutput()
        chats = serializers.SerializerMethodField()

        def get_chats(self, conversation) -> list[dict]:
            chats = conversation.chats.all()
            return ConversationDetailApi.ChatOutput(chats, many=True, context=self.context).data

    @extend_schema(responses={200: OutputSerializer}, operation_id="conversation_detail")
    def get(self, request, conversation_id: int):
        conversation = conversation_detail(conversation_id=conversation_id)
        context = {"sender_verified": store_mail_sender_verified()}
        return Response(self.OutputSerializer(conversation, context=context).data)


class ChatCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        class ChatInput(serializers.Serializer):
            payload = _TextField()
            userId = _id_field(source="user_id")

        conversationId = _id_field(source="conversation_id")
        chat = ChatInput()

    class OutputSerializer(serializers.Serializer):
        chatId = serializers.IntegerField(source="pk")
        status = serializers.SerializerMethodField()
        scheduledFor = serializers.DateTimeField(source="scheduled_for", allow_null=True)
        held = _HeldField()

        def get_status(self, chat) -> str:
            return _chat_status(chat)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chat = chat_create(
            conversation_id=data.validated_data["conversation_id"], **data.validated_data["chat"]
        )
        context = {"sender_verified": store_mail_sender_verified()}
        output = self.OutputSerializer(chat, context=context)
        return Response(output.data, status=status.HTTP_201_CREATED)


class ClientListCreateApi(APIView):
    """`/api/clients`: GET lists, POST creates (one URL, so one view with two methods)."""

    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        email = serializers.EmailField(max_length=254)
        timezone = serializers.CharField(max_length=64)
        mobile = serializers.CharField(max_length=32, required=False, allow_blank=True)

    @extend_schema(
        parameters=[OpenApiParameter("search", str, description="part of the name or e-mail")],
        responses={200: ClientOutput(many=True)},
    )
    def get(self, request):
        clients = client_list(search=request.query_params.get("search", "").strip())
        return _paginated(request, self, clients, ClientOutput)

    @extend_schema(request=InputSerializer, responses={201: ClientOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client = client_create(**data.validated_data)
        return Response(ClientOutput(client_get(client_id=client.pk)).data, status=201)


class ClientDetailApi(APIView):
    @extend_schema(responses={200: ClientOutput})
    def get(self, request, client_id: int):
        return Response(ClientOutput(client_get(client_id=client_id)).data)


class DiscountCodeSetApi(APIView):
    """The client's code is a store discount code for them alone, once (`id` is its id in
    /api/discounts); `kind` and `value` are optional (10 percent off by default)."""

    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=40)
        kind = serializers.CharField(max_length=20, required=False)
        value = serializers.DecimalField(None, None, required=False)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="discount_id")
        code = serializers.CharField()
        active = serializers.BooleanField(source="is_active")

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, client_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client = client_get(client_id=client_id)
        discount = discount_code_set(client=client, **data.validated_data)
        return Response(self.OutputSerializer(discount).data, status=201)


class ConversationListCreateApi(APIView):
    """`/api/conversations`: GET lists (filters), POST opens a conversation."""

    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Conversation.Status.choices, required=False)
        client = _id_field(required=False, source="client_id")
        operator = _id_field(required=False, source="operator_id")

    class InputSerializer(serializers.Serializer):
        client = _id_field(source="client_id")
        operator = _id_field(
            required=False, source="operator_id", help_text="default: the caller as operator"
        )

    @extend_schema(parameters=[FilterSerializer], responses={200: ConversationOutput(many=True)})
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        conversations = conversation_list(**filters.validated_data)
        return _paginated(request, self, conversations, ConversationOutput)

    @extend_schema(request=InputSerializer, responses={201: ConversationOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = conversation_open(seller=request.user, **data.validated_data)
        return Response(ConversationOutput(conversation).data, status=201)


class ConversationCloseApi(APIView):
    @extend_schema(request=None, responses={200: ConversationOutput})
    def post(self, request, conversation_id: int):
        conversation = conversation_get(conversation_id=conversation_id)
        conversation = conversation_close(conversation=conversation)
        return Response(ConversationOutput(conversation).data)


class OperatorListApi(APIView):
    pagination_class = StandardPagination

    class OutputSerializer(OperatorOutput):
        # Empty for a seller who signed up with a mobile and gave no e-mail yet.
        email = serializers.CharField()
        me = serializers.SerializerMethodField()

        def get_me(self, operator) -> bool:
            return operator.seller_id == self.context["seller_id"]

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request):
        operators = operator_list_joining(seller=request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(operators, request, view=self)
        output = self.OutputSerializer(page, many=True, context={"seller_id": request.user.pk})
        return paginator.get_paginated_response(output.data)
