"""JSON API: widget sites (members), the public widget endpoint, signups and their stats."""

from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import dateparse, timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.access.timezone import current_store_timezone
from saas.api.errors import ApplicationError, ThrottledError
from saas.api.pagination import StandardPagination
from saas.api.permissions import IsStoreHost

from . import selectors, services
from .origins import request_origin
from .throttles import Check, rate_parse, throttle_hit

WIDGET_MAX_BODY_BYTES = 4 * 1024
CORS_ALLOWED_HEADERS = "Content-Type, X-Site-Key"
CORS_MAX_AGE_SECONDS = 600


class WidgetSiteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    key = serializers.CharField()
    allowed_origins = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


ERROR_RESPONSE = inline_serializer(
    "Error",
    {
        "error": serializers.CharField(),
        "code": serializers.CharField(),
        "details": serializers.DictField(required=False),
    },
)


class WidgetSiteListCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        allowed_origins = serializers.ListField(
            child=serializers.CharField(max_length=255, allow_blank=True),
            required=False,
            default=list,
        )
        is_active = serializers.BooleanField(required=False, default=True)

    @extend_schema(responses=WidgetSiteOutputSerializer(many=True))
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.widget_site_list(), request, view=self)
        return paginator.get_paginated_response(WidgetSiteOutputSerializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: WidgetSiteOutputSerializer, 400: ERROR_RESPONSE},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = services.widget_site_create(**data.validated_data)
        return Response(WidgetSiteOutputSerializer(site).data, status=status.HTTP_201_CREATED)


class WidgetSiteUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120, required=False)
        allowed_origins = serializers.ListField(
            child=serializers.CharField(max_length=255, allow_blank=True), required=False
        )
        is_active = serializers.BooleanField(required=False)

    @extend_schema(
        request=InputSerializer,
        responses={200: WidgetSiteOutputSerializer, 400: ERROR_RESPONSE, 404: ERROR_RESPONSE},
    )
    def patch(self, request, site_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            site = services.widget_site_get_for_update(site_id=site_id)
            site = services.widget_site_update(site=site, **data.validated_data)
        return Response(WidgetSiteOutputSerializer(site).data)


class WidgetSiteKeyRotateApi(APIView):
    @extend_schema(request=None, responses={200: WidgetSiteOutputSerializer, 404: ERROR_RESPONSE})
    def post(self, request, site_id: int):
        with transaction.atomic():
            site = services.widget_site_get_for_update(site_id=site_id)
            site = services.widget_site_key_rotate(site=site)
        return Response(WidgetSiteOutputSerializer(site).data)


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address our own proxies put in X-Forwarded-For (counted from the
    right, so a client cannot choose its own throttle bucket by sending the header)."""
    proxies = int(getattr(settings, "SIGNUP_TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    return chain[-proxies] if len(chain) >= proxies else remote


def widget_throttle_check(*, site, ip: str) -> None:
    per_ip = rate_parse(getattr(settings, "SIGNUP_THROTTLE_PER_IP", "20/min"))
    per_site = rate_parse(getattr(settings, "SIGNUP_THROTTLE_PER_SITE", "600/min"))
    wait = throttle_hit(
        Check("signup-ip", f"{site.pk}:{ip}", per_ip),
        Check("signup-site", str(site.pk), per_site),
    )
    if wait is not None:
        raise ThrottledError(
            "Too many signups; try again in a moment.",
            code="throttled",
            retry_after_seconds=wait,
        )


class WidgetSignupCreateApi(APIView):
    """The widget's endpoint: public, keyed by the site key, guarded by the site's origins."""

    authentication_classes: list = []
    permission_classes = [IsStoreHost]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        email = serializers.CharField()  # the 4 KB body bounds it; the service checks it
        name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        consent = serializers.BooleanField(required=False, default=False)
        page_url = serializers.CharField(
            max_length=2000, required=False, allow_blank=True, default=""
        )
        site_key = serializers.CharField(max_length=100, required=False, allow_blank=True)
        website = serializers.CharField(
            max_length=2000, required=False, allow_blank=True, help_text="Honeypot: leave empty."
        )

    class OutputSerializer(serializers.Serializer):
        status = serializers.CharField()

    # Set once the calling origin is known to be allowed; finalize_response adds CORS headers.
    cors_origin: str | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.cors_origin:
            response["Access-Control-Allow-Origin"] = self.cors_origin
        # Caches must not hand one origin's answer to another.
        response["Vary"] = "Origin"
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.QUERY, description="Site key"),
            OpenApiParameter("X-Site-Key", str, OpenApiParameter.HEADER, description="Site key"),
        ],
        request=InputSerializer,
        responses={
            201: OutputSerializer,
            200: OpenApiResponse(OutputSerializer, description="Already subscribed"),
            400: ERROR_RESPONSE,
            403: ERROR_RESPONSE,
            413: ERROR_RESPONSE,
            429: ERROR_RESPONSE,
        },
    )
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > WIDGET_MAX_BODY_BYTES:
            raise ApplicationError(
                "The request body is too large.",
                code="too_large",
                details={"max_bytes": WIDGET_MAX_BODY_BYTES},
                status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        body = request.data
        if not hasattr(body, "get"):
            raise ApplicationError("Send a JSON object or a form.", code="malformed_body")
        key = (
            request.headers.get("X-Site-Key")
            or _text(body.get("site_key"))
            or request.query_params.get("key", "")
        )
        site = selectors.widget_site_for_key(key=key)
        if site is None:
            raise ApplicationError(
                "This site key is unknown or switched off.",
                code="invalid_site_key",
                status_code=status.HTTP_403_FORBIDDEN,
            )
        origin = request_origin(request)
        if origin is None or origin not in site.allowed_origins:
            raise ApplicationError(
                "This website is not allowed to use this signup widget.",
                code="origin_not_allowed",
                status_code=status.HTTP_403_FORBIDDEN,
            )
        self.cors_origin = origin
        widget_throttle_check(site=site, ip=client_ip(request))
        if _text(body.get("website")):
            # A bot filled the hidden field: answer like a success, keep nothing.
            return Response({"status": "subscribed"}, status=status.HTTP_201_CREATED)
        data = self.InputSerializer(data=body)
        data.is_valid(raise_exception=True)
        result = services.signup_create(
            site=site,
            email=data.validated_data["email"],
            name=data.validated_data["name"],
            consent=data.validated_data["consent"],
            page_url=data.validated_data["page_url"] or request.headers.get("Referer", ""),
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(
            {"status": "subscribed"},
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(exclude=True)
    def options(self, request, *args, **kwargs):
        """CORS preflight: only for an origin an active site (the `key` one if given) allows."""
        origin = request_origin(request) if request.headers.get("Origin") else None
        key = request.query_params.get("key")
        if key:
            site = selectors.widget_site_for_key(key=key)
            allowed = set(site.allowed_origins) if site else set()
        else:
            allowed = selectors.widget_origins_all_active()
        if origin is None or origin not in allowed:
            raise ApplicationError(
                "This website is not allowed to use this signup widget.",
                code="origin_not_allowed",
                status_code=status.HTTP_403_FORBIDDEN,
            )
        self.cors_origin = origin
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response["Access-Control-Allow-Methods"] = "POST"
        response["Access-Control-Allow-Headers"] = CORS_ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
        return response


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


class SignupOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()
    page_url = serializers.CharField()
    consent = serializers.BooleanField()
    consent_at = serializers.DateTimeField(allow_null=True)
    site_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


def since_parse(raw: str) -> datetime:
    """An ISO date (local midnight in the store's timezone) or date-time (naive = store time)."""
    raw = (raw or "").strip()
    zone = current_store_timezone()
    try:
        moment = dateparse.parse_datetime(raw)
        if moment is None:
            day = dateparse.parse_date(raw)
            if day is not None:
                moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise ApplicationError(
            "since must be an ISO date or date-time, like 2025-01-31 or 2025-01-31T08:00:00Z.",
            code="invalid_since",
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zone)
    return moment


class SignupListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", str, description="ISO date or date-time; signups at or after it"
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: SignupOutputSerializer(many=True), 400: ERROR_RESPONSE},
    )
    def get(self, request):
        since = request.query_params.get("since")
        signups = selectors.signup_list(since=since_parse(since) if since is not None else None)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(signups, request, view=self)
        return paginator.get_paginated_response(SignupOutputSerializer(page, many=True).data)


class SignupStatsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        this_month = serializers.IntegerField()
        last_month = serializers.IntegerField()
        last_7_days = serializers.IntegerField()
        total = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        stats = selectors.signup_stats()
        return Response(self.OutputSerializer(stats).data)
