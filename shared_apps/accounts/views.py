from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from saas.api.errors import ApplicationError

from .services import seller_otp_login, seller_otp_request


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
            if request.POST.get("step") == "verify":
                seller, _ = seller_otp_login(mobile=mobile, code=request.POST.get("otp", ""))
                login(request, seller, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(context["next"])
            seller_otp_request(mobile=mobile)
            return render(request, self.template_name, {**context, "step": "otp"})
        except ApplicationError as error:
            step = "otp" if request.POST.get("step") == "verify" else "mobile"
            context.update(step=step, error=error.message)
            return render(request, self.template_name, context, status=400)


def logout_view(request):
    if request.method == "POST":
        logout(request)
    return redirect("/login")
