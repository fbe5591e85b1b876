from django.urls import path

from . import apis, views

urlpatterns = [
    path("api/repos", apis.RepositoryListApi.as_view(), name="traffic-repository-list"),
    path("api/repos/create", apis.RepositoryCreateApi.as_view(), name="traffic-repository-create"),
    path(
        "api/repos/<str:repository_id>",
        apis.RepositoryDetailApi.as_view(),
        name="traffic-repository-detail",
    ),
    path(
        "api/repos/<str:repository_id>/delete",
        apis.RepositoryDeleteApi.as_view(),
        name="traffic-repository-delete",
    ),
    path(
        "api/repos/<str:repository_id>/refresh",
        apis.RepositoryRefreshApi.as_view(),
        name="traffic-repository-refresh",
    ),
    path("api/traffic/github-token", apis.GithubTokenApi.as_view(), name="traffic-github-token"),
    path(
        "api/traffic/share-tokens",
        apis.ShareTokenListCreateApi.as_view(),
        name="traffic-share-token-list",
    ),
    path(
        "api/traffic/share-tokens/<int:token_id>",
        apis.ShareTokenRevokeApi.as_view(),
        name="traffic-share-token-revoke",
    ),
    path(
        "users/<str:user_token>/repos", views.user_repository_list_view, name="traffic-user-repos"
    ),
    path(
        "users/<str:user_token>/repos/<str:repository_id>",
        views.user_repository_detail_view,
        name="traffic-user-repo",
    ),
]
