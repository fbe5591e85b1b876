from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from saas.access.otp import (
    OTP_REQUEST_THROTTLES,
    OTP_VERIFY_THROTTLES,
    otp_sent_counted,
    otp_wrong_codes_counted,
)
from saas.api.errors import ApplicationError
from saas.api.throttles import throttles_check

from .errors import AccountsErrorCode
from .services import (
    seller_email_verification_resend,
    seller_email_verify,
    seller_otp_login,
    seller_otp_request,
)


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return "/"


class LoginView(View):
    """Mobile → code by SMS → a session on this host (platform or store)."""

    template_name = "accounts/login.html"

    def get(self, request):
        return render(request, self.template_name, {"step": "mobile", "next": _safe_next(request)})

    def post(self, request):
        mobile = request.POST.get("mobile", "").strip()
        context = {"mobile": mobile, "next": _safe_next(request)}
        try:
            # The API's limits hold here too (saas.access.otp): per IP, per mobile, wrong codes.
            if request.POST.get("step") == "verify":
                throttles_check(request, OTP_VERIFY_THROTTLES)
                with otp_wrong_codes_counted(request=request, mobile=mobile):
                    seller, _ = seller_otp_login(mobile=mobile, code=request.POST.get("otp", ""))
                login(request, seller, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(context["next"])
            throttles_check(request, OTP_REQUEST_THROTTLES)
            with otp_sent_counted(mobile=mobile):
                seller_otp_request(mobile=mobile)
            return render(request, self.template_name, {**context, "step": "otp"})
        except ApplicationError as error:
            step = "otp" if request.POST.get("step") == "verify" else "mobile"
            context.update(step=step, error=error.message)
            return render(request, self.template_name, context, status=400)


def logout_view(request):
    """POST signs out of this host; then the sign-in page, or a `next` on this host."""
    if request.method == "POST":
        logout(request)
        if request.POST.get("next"):
            return redirect(_safe_next(request))
    return redirect("/login")


class EmailVerifyView(View):
    """The link of the verification e-mail: opening it verifies the address."""

    template_name = "accounts/email_verify.html"

    def get(self, request, token: str):
        try:
            seller = seller_email_verify(token=token)
        except ApplicationError as error:
            expired = error.code == AccountsErrorCode.VERIFICATION_LINK_EXPIRED.code
            context = {"state": "expired" if expired else "invalid", "message": error.message}
            return render(request, self.template_name, {**context, "token": token}, status=400)
        return render(request, self.template_name, {"state": "verified", "email": seller.email})


class EmailVerificationResendView(View):
    """The button on an expired link's page: a fresh link to the same address."""

    template_name = "accounts/email_verify.html"

    def post(self, request, token: str):
        try:
            sent = seller_email_verification_resend(token=token)
        except ApplicationError as error:
            context = {"state": "invalid", "message": error.message}
            return render(request, self.template_name, context, status=400)
        return render(request, self.template_name, {"state": "resent" if sent else "not_resent"})
