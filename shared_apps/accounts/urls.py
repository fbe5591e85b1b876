from django.urls import path

from . import apis

# Answered on the platform host and on every store host (tokens are global; access on a store
# host is by membership). Pages that belong to the platform alone are in urls_platform.py.
urlpatterns = [
    path("users/create", apis.UserCreateApi.as_view(), name="user-create"),
    path("auth/otp/request", apis.OtpRequestApi.as_view(), name="otp-request"),
    path("auth/otp/verify", apis.OtpVerifyApi.as_view(), name="otp-verify"),
    path("auth/token/refresh", apis.TokenRefreshApi.as_view(), name="token-refresh"),
    path("auth/logout", apis.LogoutApi.as_view(), name="logout-api"),
    path("auth/logout-all", apis.LogoutAllApi.as_view(), name="logout-all-api"),
    path("tokens", apis.ApiTokenListCreateApi.as_view(), name="token-list"),
    path("tokens/<int:token_id>", apis.ApiTokenRevokeApi.as_view(), name="token-revoke"),
]
