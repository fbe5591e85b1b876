"""Traffic API on a store host: the caller's repositories and share links, the store's GitHub
token.

Default authentication and the default `IsStoreMember` permission apply (an `X-API-Token` of
a member of this store); repositories are always the caller's own.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.fields import StrictCharField

from .selectors import (
    date_range_parse,
    github_token_state,
    path_snapshot_list,
    referrer_snapshot_list,
    repository_get,
    repository_list,
    traffic_day_list,
)
from .services import (
    github_token_clear,
    github_token_set,
    repository_create,
    repository_delete,
    repository_refresh_request,
)
from .sharing import share_token_create, share_token_list, share_token_revoke, share_token_url


class RepositoryOutputSerializer(serializers.Serializer):
    id = serializers.CharField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()


class RepositoryCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        url = serializers.CharField(max_length=300)

    @extend_schema(
        request=InputSerializer,
        responses={200: inline_serializer("RepositoryCreated", {"id": serializers.CharField()})},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        repository = repository_create(seller=request.user, url=data.validated_data["url"])
        return Response({"id": str(repository.id)}, status=status.HTTP_200_OK)


class RepositoryListApi(APIView):
    @extend_schema(responses={200: RepositoryOutputSerializer(many=True)})
    def get(self, request):
        repositories = repository_list(seller=request.user)
        return Response(RepositoryOutputSerializer(repositories, many=True).data)


class RepositoryDetailApi(APIView):
    class DayOutputSerializer(serializers.Serializer):
        date = serializers.DateField()
        views = serializers.IntegerField()
        unique_views = serializers.IntegerField()
        clones = serializers.IntegerField()
        unique_clones = serializers.IntegerField()

    class ReferrerOutputSerializer(serializers.Serializer):
        date = serializers.DateField(help_text="The day GitHub reported its 14-day top list.")
        referrer = serializers.CharField()
        count = serializers.IntegerField()
        uniques = serializers.IntegerField()

    class PathOutputSerializer(serializers.Serializer):
        date = serializers.DateField(help_text="The day GitHub reported its 14-day top list.")
        path = serializers.CharField()
        title = serializers.CharField()
        count = serializers.IntegerField()
        uniques = serializers.IntegerField()

    class LastFetchOutputSerializer(serializers.Serializer):
        at = serializers.DateTimeField(source="last_fetch_at", allow_null=True)
        succeeded_at = serializers.DateTimeField(source="last_success_at", allow_null=True)
        error = serializers.CharField(source="last_error")
        error_code = serializers.CharField(source="last_error_code")

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD, inclusive"),
            OpenApiParameter("end", str, description="YYYY-MM-DD, inclusive"),
        ],
        responses={
            200: inline_serializer(
                "RepositoryTraffic",
                {
                    "id": serializers.CharField(),
                    "url": serializers.CharField(),
                    "created_at": serializers.DateTimeField(),
                    "traffic": DayOutputSerializer(many=True),
                    "referrers": ReferrerOutputSerializer(many=True),
                    "paths": PathOutputSerializer(many=True),
                    "last_fetch": LastFetchOutputSerializer(),
                },
            )
        },
    )
    def get(self, request, repository_id: str):
        period = date_range_parse(
            start=request.query_params.get("start"), end=request.query_params.get("end")
        )
        repository = repository_get(seller=request.user, repository_id=repository_id)
        body = RepositoryOutputSerializer(repository).data
        body["traffic"] = self.DayOutputSerializer(
            traffic_day_list(repository=repository, period=period), many=True
        ).data
        body["referrers"] = self.ReferrerOutputSerializer(
            referrer_snapshot_list(repository=repository, period=period), many=True
        ).data
        body["paths"] = self.PathOutputSerializer(
            path_snapshot_list(repository=repository, period=period), many=True
        ).data
        body["last_fetch"] = self.LastFetchOutputSerializer(repository).data
        return Response(body)


class RepositoryDeleteApi(APIView):
    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "RepositoryDeleted",
                {"id": serializers.CharField(), "status": serializers.CharField()},
            )
        },
    )
    def post(self, request, repository_id: str):
        repository_delete(seller=request.user, repository_id=repository_id)
        return Response({"id": repository_id, "status": "deleted"}, status=202)


class RepositoryRefreshApi(APIView):
    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "RefreshQueued", {"id": serializers.CharField(), "status": serializers.CharField()}
            )
        },
    )
    def post(self, request, repository_id: str):
        repository = repository_refresh_request(seller=request.user, repository_id=repository_id)
        return Response({"id": str(repository.id), "status": "queued"}, status=202)


class GithubTokenApi(APIView):
    """The store's GitHub token: write-only. GET only says whether one is set."""

    class InputSerializer(serializers.Serializer):
        token = StrictCharField(max_length=255, trim_whitespace=True)

    class OutputSerializer(serializers.Serializer):
        configured = serializers.BooleanField()
        updated_at = serializers.DateTimeField(allow_null=True)

    def _state(self):
        return self.OutputSerializer(github_token_state()).data

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request):
        return Response(self._state())

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def put(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        github_token_set(seller=request.user, token=data.validated_data["token"])
        return Response(self._state())

    @extend_schema(request=None, responses={200: OutputSerializer})
    def delete(self, request):
        github_token_clear()
        return Response(self._state())


class ShareTokenOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(source="key_prefix")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class ShareTokenListCreateApi(APIView):
    """The caller's read-only chart links: GET lists them (newest first, without their keys,
    a bare list like GET /api/repos); POST makes one and answers its key and link once."""

    class InputSerializer(serializers.Serializer):
        name = StrictCharField(max_length=100)

    @extend_schema(responses={200: ShareTokenOutputSerializer(many=True)})
    def get(self, request):
        tokens = share_token_list(seller=request.user)
        return Response(ShareTokenOutputSerializer(tokens, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={
            201: inline_serializer(
                "ShareTokenCreated",
                {
                    "id": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "key": serializers.CharField(help_text="Shown once; only its hash is kept."),
                    "url": serializers.CharField(help_text="<store link>users/<key>/repos"),
                },
            )
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = share_token_create(seller=request.user, name=data.validated_data["name"])
        url = share_token_url(store_link=request.tenant.link, key=key)
        return Response(
            {"id": token.id, "name": token.name, "key": key, "url": url},
            status=status.HTTP_201_CREATED,
        )


class ShareTokenRevokeApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, token_id: int):
        share_token_revoke(seller=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
