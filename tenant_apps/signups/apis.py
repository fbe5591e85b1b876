"""JSON API: widget sites (members), the public widget endpoint, signups and their stats."""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.fields import StrictBooleanField, StrictCharField
from saas.api.pagination import StandardPagination
from saas.api.parsers import StrictJSONParser
from saas.api.permissions import IsStoreHost

from . import selectors, services
from .errors import SignupsError, SignupsErrorCode
from .permissions import WidgetCallerAllowed, text_field
from .throttles import GuardChanged, WidgetSignupThrottle, client_ip

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
    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        name = StrictCharField(max_length=120)
        allowed_origins = serializers.ListField(
            child=serializers.CharField(max_length=255, allow_blank=True),
            required=False,
            default=list,
        )
        is_active = StrictBooleanField(required=False, default=True)

    @extend_schema(responses=WidgetSiteOutputSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
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
        name = StrictCharField(max_length=120, required=False)
        allowed_origins = serializers.ListField(
            child=serializers.CharField(max_length=255, allow_blank=True), required=False
        )
        is_active = StrictBooleanField(required=False)

    @extend_schema(
        request=InputSerializer,
        responses={200: WidgetSiteOutputSerializer, 400: ERROR_RESPONSE, 404: ERROR_RESPONSE},
    )
    def patch(self, request, site_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = selectors.widget_site_get(site_id=site_id)
        site = services.widget_site_update(site=site, **data.validated_data)
        return Response(WidgetSiteOutputSerializer(site).data)


class WidgetSiteKeyRotateApi(APIView):
    @extend_schema(request=None, responses={200: WidgetSiteOutputSerializer, 404: ERROR_RESPONSE})
    def post(self, request, site_id: int):
        site = selectors.widget_site_get(site_id=site_id)
        site = services.widget_site_key_rotate(site=site)
        return Response(WidgetSiteOutputSerializer(site).data)


class WidgetSignupCreateApi(APIView):
    """The widget's endpoint: public, keyed by the site key, guarded by the site's origins.

    WidgetCallerAllowed checks the body size, the key and the origin, then the throttles
    count the request (so the honeypot's requests are counted too).
    """

    authentication_classes = ()
    permission_classes = [IsStoreHost, WidgetCallerAllowed]
    throttle_classes = [WidgetSignupThrottle]
    parser_classes = [StrictJSONParser, FormParser, MultiPartParser]

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

        # The optional text fields' max_length, for `validated` below.
        TEXT_MAX = {"name": 200, "page_url": 2000, "site_key": 100, "website": 2000}
        DEFAULTS = {"name": "", "consent": False, "page_url": ""}

        @classmethod
        def validated(cls, data) -> dict:
            """validated_data of `data`, or the serializer's ValidationError.

            Building the serializer deep-copies its six fields: a fifth of the endpoint's own
            CPU time. The widget's usual body (a JSON object of strings and a boolean that
            passes every rule) is checked here by the same rules; anything else, and every
            error, goes through the serializer itself.
            """
            checked = cls._plain_valid(data)
            if checked is not None:
                return checked
            serializer = cls(data=data)
            serializer.is_valid(raise_exception=True)
            return serializer.validated_data

        @classmethod
        def _plain_valid(cls, data) -> dict | None:
            if type(data) is not dict or type(data.get("email")) is not str:
                return None
            checked = dict(cls.DEFAULTS)
            for name, value in data.items():
                if name == "consent":
                    if type(value) is not bool:
                        return None
                    checked[name] = value
                elif name == "email" or name in cls.TEXT_MAX:
                    value = value.strip() if type(value) is str else None
                    if value is None or "\x00" in value:
                        return None
                    if len(value) > cls.TEXT_MAX.get(name, len(value)):
                        return None
                    checked[name] = value
            return checked if checked["email"] else None

    class OutputSerializer(serializers.Serializer):
        status = serializers.CharField()

    def check_throttles(self, request):
        try:
            super().check_throttles(request)
        except GuardChanged:
            # This worker's copy of the site is out of date (or Redis did not answer): check
            # the caller again on the shared copy, then count without a guard.
            selectors.widget_site_memo_forget(key=request.widget_site.key)
            WidgetCallerAllowed().post_check(request, memo=False)
            super().check_throttles(request)

    def throttled(self, request, wait):
        raise SignupsError(
            "Too many signups; try again in a moment.",
            code=SignupsErrorCode.THROTTLED,
            details={"retry_after_seconds": wait},
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Set once the calling origin is known to be allowed (WidgetCallerAllowed).
        origin = getattr(request, "widget_origin", None)
        if origin:
            response["Access-Control-Allow-Origin"] = origin
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
        if text_field(request.data.get("website")):
            # A bot filled the hidden field: answer like a success, keep nothing.
            return Response({"status": "subscribed"}, status=status.HTTP_201_CREATED)
        data = self.InputSerializer.validated(request.data)
        if request.widget_preview:
            # The console's live preview: the same checks, nothing kept.
            services.email_normalize(data["email"])
            return Response({"status": "preview"}, status=status.HTTP_200_OK)
        result = services.signup_create(
            site=request.widget_site,
            email=data["email"],
            name=data["name"],
            consent=data["consent"],
            page_url=data["page_url"] or request.headers.get("Referer", ""),
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(
            {"status": "subscribed"},
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(exclude=True)
    def options(self, request, *args, **kwargs):
        """CORS preflight, once WidgetCallerAllowed has found the origin allowed."""
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response["Access-Control-Allow-Methods"] = "POST"
        response["Access-Control-Allow-Headers"] = CORS_ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
        return response


class SignupOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()
    page_url = serializers.CharField()
    consent = serializers.BooleanField()
    consent_at = serializers.DateTimeField(allow_null=True)
    site_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class SignupListApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", str, description="ISO date or date-time; signups at or after it"
            ),
        ],
        responses={200: SignupOutputSerializer(many=True), 400: ERROR_RESPONSE},
    )
    def get(self, request):
        since = request.query_params.get("since")
        moment = selectors.store_moment_parse(raw=since) if since is not None else None
        signups = selectors.signup_list(since=moment)
        paginator = self.pagination_class()
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
