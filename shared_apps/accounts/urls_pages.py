"""The platform host's pages for sellers (mounted at / in saas/urls_public.py)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("start", pages.SignInMobileView.as_view(), name="platform-sign-in"),
    path("start/code", pages.SignInCodeView.as_view(), name="platform-sign-in-code"),
    path("start/about-you", pages.AboutYouView.as_view(), name="platform-about-you"),
    path("account", pages.AccountView.as_view(), name="platform-account"),
    path("account/tokens", pages.api_token_create_view, name="platform-token-create"),
    path(
        "account/tokens/<int:token_id>/revoke",
        pages.api_token_revoke_view,
        name="platform-token-revoke",
    ),
    path(
        "account/verify-email",
        pages.email_verification_request_view,
        name="platform-email-verification",
    ),
    path(
        "account/sign-out-everywhere",
        pages.sign_out_everywhere_view,
        name="platform-sign-out-everywhere",
    ),
]
