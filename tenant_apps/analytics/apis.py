"""Support analytics API on the store host: ingestion, tokens, dashboard reads."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.authentication import (
    ApiTokenAuthentication,
    CsrfSessionAuthentication,
    SellerJWTAuthentication,
)
from saas.api.fields import DateParameterField, StrictCharField
from saas.api.permissions import IsStoreOwnerToChange
from saas.validation import validate_timezone

from . import selectors
from .authentication import IngestionTokenAuthentication, IsStoreMemberOrIngestionToken
from .events import EventBatchSerializer, event_batch_unwrap
from .renderers import CsvRenderer
from .services import analytics_events_ingest, ingestion_token_create, ingestion_token_delete

INGESTION_AUTHENTICATION = [
    IngestionTokenAuthentication,
    SellerJWTAuthentication,
    ApiTokenAuthentication,
    CsrfSessionAuthentication,
]


# --------------------------------------------------------------------------- output


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
        start = DateParameterField(required=False)  # codes invalid, date_out_of_range
        end = DateParameterField(required=False)
        tz = serializers.CharField(required=False, max_length=64)
        agent = serializers.CharField(required=False, max_length=100)
        channel = serializers.CharField(required=False, max_length=100)

        def validate_tz(self, value):
            validate_timezone(value)  # code invalid_timezone
            return value

    def filters(self, request, serializer_class=None) -> dict:
        data = (serializer_class or self.FilterSerializer)(data=request.query_params)
        data.is_valid(raise_exception=True)
        return selectors.analytics_filters(**data.validated_data)


class CsvReadApi(ReadApi):
    renderer_classes = [JSONRenderer, CsvRenderer]

    def handle_exception(self, exc):
        # Errors are JSON even when CSV was asked for.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def csv_response(self, request, rows: list, name: str, period) -> Response:
        # A period with no rows is still a CSV file: its header row (CsvRenderer reads it).
        self.csv_columns = selectors.breakdown_columns(name.removesuffix("s"))
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
        description='The body is `{"events": [...]}` or a single event object.',
        request=EventBatchSerializer,
        responses={202: OutputSerializer},
    )
    def post(self, request):
        result = analytics_events_ingest(events=event_batch_unwrap(request.data))
        return Response(
            {"accepted": result.accepted, "duplicates": result.duplicates},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(exclude=True)
class EventsIngestSlashApi(EventsIngestApi):
    pass


# --------------------------------------------------------------------------- tokens


class IngestionTokenListCreateApi(APIView):
    """Members list the store's ingestion tokens; owners create them (never with a token
    itself: a staff member's call is 403 owner_required)."""

    permission_classes = [IsStoreOwnerToChange]

    class InputSerializer(serializers.Serializer):
        name = StrictCharField(max_length=100)

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
    permission_classes = [IsStoreOwnerToChange]

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
        interval = serializers.ChoiceField(choices=selectors.INTERVALS, default="day")

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
        return Response(
            selectors.analytics_timeseries(**self.filters(request, self.FilterSerializer))
        )


class AgentsApi(CsvReadApi):
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
        filters = self.filters(request)
        rows = selectors.analytics_agents(**filters)
        return self.csv_response(request, rows, "agents", filters["period"])


class ChannelsApi(CsvReadApi):
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
        filters = self.filters(request)
        rows = selectors.analytics_channels(**filters)
        return self.csv_response(request, rows, "channels", filters["period"])
