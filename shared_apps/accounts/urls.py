from django.urls import path

from . import apis

urlpatterns = [
    path("users/create", apis.UserCreateApi.as_view(), name="user-create"),
    path("auth/otp/request", apis.OtpRequestApi.as_view(), name="otp-request"),
    path("auth/otp/verify", apis.OtpVerifyApi.as_view(), name="otp-verify"),
    path("auth/token/refresh", apis.TokenRefreshApi.as_view(), name="token-refresh"),
    path("tokens", apis.ApiTokenListCreateApi.as_view(), name="token-list"),
    path("tokens/<int:token_id>", apis.ApiTokenRevokeApi.as_view(), name="token-revoke"),
]
