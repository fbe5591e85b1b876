"""Account pages answered on the platform host only: the links of the verification e-mail."""

from django.urls import path

from . import views

urlpatterns = [
    path("users/verify-email/<str:token>", views.EmailVerifyView.as_view(), name="email-verify"),
    path(
        "users/verify-email/<str:token>/resend",
        views.EmailVerificationResendView.as_view(),
        name="email-verify-resend",
    ),
]
