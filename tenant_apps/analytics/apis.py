"""Support analytics API on the store host: ingestion, tokens, dashboard reads."""

import zoneinfo
from datetime import timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.authentication import (
    ApiTokenAuthentication,
    CsrfSessionAuthentication,
    SellerJWTAuthentication,
)
from saas.api.errors import ApplicationError

from . import selectors
from .authentication import IngestionTokenAuthentication, IsStoreMemberOrIngestionToken
from .models import Agent, Channel
from .renderers import CsvRenderer
from .services import (
    MAX_BATCH_EVENTS,
    analytics_events_ingest,
    ingestion_token_create,
    ingestion_token_delete,
)

MAX_RANGE_DAYS = 3 * 366
MAX_SERIES_POINTS = 10_000

INGESTION_AUTHENTICATION = [
    IngestionTokenAuthentication,
    SellerJWTAuthentication,
    ApiTokenAuthentication,
    CsrfSessionAuthentication,
]


# --------------------------------------------------------------------------- documentation


class _Party(serializers.Serializer):
    id = serializers.CharField(max_length=100)
    name = serializers.CharField(required=False)


class _Channel(_Party):
    type = serializers.CharField(required=False)


class _Agent(_Party):
    email = serializers.CharField(required=False)


class _Conversation(serializers.Serializer):
    id = serializers.CharField(max_length=100)
    channel = _Channel()


class EventDocSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=100, help_text="Unique; a repeated id is skipped.")
    type = serializers.ChoiceField(
        choices=[
            "conversation.created",
            "conversation.assigned",
            "conversation.agent_replied",
            "conversation.customer_replied",
            "conversation.closed",
            "conversation.reopened",
        ]
    )
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with a UTC offset.")
    conversation = _Conversation()
    agent = _Agent(required=False, help_text="Required for assigned and agent_replied.")


class MetricsSerializer(serializers.Serializer):
    conversations_created = serializers.IntegerField()
    conversations_assigned = serializers.IntegerField()
    conversations_closed = serializers.IntegerField()
    conversations_reopened = serializers.IntegerField()
    agent_replies = serializers.IntegerField()
    customer_replies = serializers.IntegerField()
    avg_first_response_seconds = serializers.FloatField(allow_null=True)
    avg_resolution_seconds = serializers.FloatField(allow_null=True)
    avg_reply_seconds = serializers.FloatField(allow_null=True)


class PreviousMetricsSerializer(MetricsSerializer):
    start = serializers.DateField()
    end = serializers.DateField()


FILTER_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: 29 days ago)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, inclusive (default: today)"),
    OpenApiParameter("tz", str, description="IANA timezone (default: the store's)"),
    OpenApiParameter("agent", str, description="An agent's id as sent in events"),
    OpenApiParameter("channel", str, description="A channel's id as sent in events"),
]


# --------------------------------------------------------------------------- shared input


class ReadApi(APIView):
    """Dashboard reads: a store member or an ingestion token of this store."""

    authentication_classes = INGESTION_AUTHENTICATION
    permission_classes = [IsStoreMemberOrIngestionToken]

    class FilterSerializer(serializers.Serializer):
        start = serializers.DateField(required=False)
        end = serializers.DateField(required=False)
        tz = serializers.CharField(required=False, max_length=64)
        agent = serializers.CharField(required=False, max_length=100)
        channel = serializers.CharField(required=False, max_length=100)

        def validate_tz(self, value):
            if value not in zoneinfo.available_timezones():
                raise serializers.ValidationError(
                    f"{value!r} is not an IANA timezone.", code="invalid_timezone"
                )
            return value

    def filters(self, request, serializer_class=None) -> dict:
        data = (serializer_class or self.FilterSerializer)(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        tz = zoneinfo.ZoneInfo(values.pop("tz", None) or request.tenant.timezone)
        end = values.pop("end", None) or timezone.now().astimezone(tz).date()
        start = values.pop("start", None) or end - timedelta(days=29)
        if start > end:
            raise ApplicationError("start must not be after end.", code="invalid_range")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ApplicationError(
                f"A range holds at most {MAX_RANGE_DAYS} days.", code="range_too_long"
            )
        values["period"] = selectors.Period(start, end, tz)
        for name, model in (("agent", Agent), ("channel", Channel)):
            if name in values:
                found = model.objects.filter(external_id=values[name]).first()
                if found is None:
                    raise ApplicationError(
                        f"No {name} with id {values[name]!r} has sent events yet.",
                        code=f"unknown_{name}",
                    )
                values[name] = found
        return values


class CsvReadApi(ReadApi):
    renderer_classes = [JSONRenderer, CsvRenderer]

    def handle_exception(self, exc):
        # Errors are JSON even when CSV was asked for.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def csv_response(self, request, rows: list, name: str, period) -> Response:
        response = Response(rows)
        if getattr(request.accepted_renderer, "format", "") == "csv":
            filename = f"{name}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# --------------------------------------------------------------------------- ingestion


class EventsIngestApi(APIView):
    authentication_classes = INGESTION_AUTHENTICATION
    permission_classes = [IsStoreMemberOrIngestionToken]

    class OutputSerializer(serializers.Serializer):
        accepted = serializers.IntegerField()
        duplicates = serializers.IntegerField()

    @extend_schema(
        summary="Record support events (one, or a batch of at most 1,000)",
        request=inline_serializer("EventBatch", {"events": EventDocSerializer(many=True)}),
        responses={202: OutputSerializer},
    )
    def post(self, request):
        body = request.data
        if isinstance(body, dict) and "events" in body:
            events = body["events"]
            if not isinstance(events, list):
                raise ApplicationError("events must be a list.", code="invalid_events")
        elif isinstance(body, dict):
            events = [body]
        else:
            raise ApplicationError(
                'Send one event object or {"events": [...]}.', code="invalid_events"
            )
        if len(events) > MAX_BATCH_EVENTS:
            raise ApplicationError(
                f"A batch holds at most {MAX_BATCH_EVENTS} events.",
                code="batch_too_large",
                details={"max_events": MAX_BATCH_EVENTS, "received": len(events)},
            )
        result = analytics_events_ingest(events=events)
        return Response(
            {"accepted": result.accepted, "duplicates": result.duplicates},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(exclude=True)
class EventsIngestSlashApi(EventsIngestApi):
    pass


# --------------------------------------------------------------------------- tokens


class IngestionTokenListCreateApi(APIView):
    """Members list and create the store's ingestion tokens (never with a token itself)."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)

    class CreatedSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        key = serializers.CharField(help_text="Shown once; store it now.")

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        key_prefix = serializers.CharField()
        created_at = serializers.DateTimeField()
        last_used_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(summary="List ingestion tokens", responses=OutputSerializer(many=True))
    def get(self, request):
        tokens = selectors.ingestion_token_list()
        return Response(self.OutputSerializer(tokens, many=True).data)

    @extend_schema(
        summary="Create an ingestion token",
        request=InputSerializer,
        responses={201: CreatedSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = ingestion_token_create(
            name=data.validated_data["name"], created_by_id=request.user.pk
        )
        return Response({"id": token.id, "name": token.name, "key": key}, status=201)


class IngestionTokenDeleteApi(APIView):
    @extend_schema(summary="Revoke an ingestion token", responses={204: None})
    def delete(self, request, token_id: int):
        ingestion_token_delete(token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------------------- reads


class SummaryApi(ReadApi):
    class OutputSerializer(MetricsSerializer):
        open_now = serializers.IntegerField()
        unassigned_now = serializers.IntegerField()
        unattended_now = serializers.IntegerField()
        previous = PreviousMetricsSerializer()

    @extend_schema(
        summary="Counts and averages for a date range, with the previous period",
        parameters=FILTER_PARAMETERS,
        responses=OutputSerializer,
    )
    def get(self, request):
        return Response(selectors.analytics_summary(**self.filters(request)))


class TimeseriesApi(ReadApi):
    class FilterSerializer(ReadApi.FilterSerializer):
        metric = serializers.ChoiceField(choices=selectors.SERIES_METRICS)
        interval = serializers.ChoiceField(choices=selectors.INTERVALS, required=False)

    class OutputSerializer(serializers.Serializer):
        start = serializers.DateTimeField()
        value = serializers.FloatField()
        count = serializers.IntegerField()

    @extend_schema(
        summary="One metric per hour, day or week (Monday); empty buckets are 0",
        parameters=[
            OpenApiParameter("metric", str, required=True, enum=list(selectors.SERIES_METRICS)),
            OpenApiParameter("interval", str, enum=list(selectors.INTERVALS)),
            *FILTER_PARAMETERS,
        ],
        responses=OutputSerializer(many=True),
    )
    def get(self, request):
        values = self.filters(request, self.FilterSerializer)
        values.setdefault("interval", "day")
        period = values["period"]
        hours = (period.end_utc - period.start_utc).total_seconds() / 3600
        if values["interval"] == "hour" and hours > MAX_SERIES_POINTS:
            raise ApplicationError(
                f"An hourly series holds at most {MAX_SERIES_POINTS} points.",
                code="range_too_long",
            )
        return Response(selectors.analytics_timeseries(**values))


class AgentsApi(CsvReadApi):
    class FilterSerializer(ReadApi.FilterSerializer):
        format = serializers.CharField(required=False)

    class OutputSerializer(MetricsSerializer):
        id = serializers.CharField()
        name = serializers.CharField()
        email = serializers.CharField()

    @extend_schema(
        summary="A row per agent (?format=csv for a CSV file)",
        parameters=FILTER_PARAMETERS,
        responses=OutputSerializer(many=True),
    )
    def get(self, request):
        values = self.filters(request, self.FilterSerializer)
        agent = values.pop("agent", None)
        values.pop("format", None)
        rows = selectors.analytics_agents(**values)
        if agent is not None:
            rows = [row for row in rows if row["id"] == agent.external_id]
        return self.csv_response(request, rows, "agents", values["period"])


class ChannelsApi(CsvReadApi):
    class FilterSerializer(ReadApi.FilterSerializer):
        format = serializers.CharField(required=False)

    class OutputSerializer(MetricsSerializer):
        id = serializers.CharField()
        name = serializers.CharField()
        type = serializers.CharField()

    @extend_schema(
        summary="A row per channel (?format=csv for a CSV file)",
        parameters=FILTER_PARAMETERS,
        responses=OutputSerializer(many=True),
    )
    def get(self, request):
        values = self.filters(request, self.FilterSerializer)
        channel = values.pop("channel", None)
        values.pop("format", None)
        rows = selectors.analytics_channels(**values)
        if channel is not None:
            rows = [row for row in rows if row["id"] == channel.external_id]
        return self.csv_response(request, rows, "channels", values["period"])
