"""The signup benchmark's store-host urlconf: the real store routes plus a bare baseline.

Only the benchmark's gunicorn uses it (ROOT_URLCONF in tests.benchmarks.signups_settings);
production URLs know nothing of the benchmark.
"""

from django.urls import include, path
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tests.benchmarks.bench_signups import BASELINE_PATH

handler404 = "saas.api.views.json_not_found_view"
handler500 = "saas.api.views.json_server_error_view"


class BareSignupApi(APIView):
    """The floor: DRF request/response cycle with the same body, no database, no Redis."""

    authentication_classes: list = []
    permission_classes: list = []
    parser_classes = [JSONParser]

    def post(self, request):
        request.data.get("email")
        return Response({"status": "subscribed"}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(BASELINE_PATH.lstrip("/"), BareSignupApi.as_view()),
    path("", include("saas.urls_tenant")),
]
