"""The platform host's pages for sellers: one sign-up/sign-in flow (mobile → code → first time:
name and e-mail) and the account page. Thin: the same services and limits as the API.

The flow keeps the mobile being signed in and the page to return to in the session; where the
seller lands after signing in (their store's console, Create your store, Your stores) is
decided at `platform-continue` (tenants/platform_views.py).
"""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from saas.access.otp import (
    OTP_REQUEST_THROTTLES,
    OTP_VERIFY_THROTTLES,
    otp_sent_counted,
    otp_wrong_codes_counted,
)
from saas.api.errors import ApplicationError, ThrottledError
from saas.api.throttles import UsersCreateThrottle, throttles_check

from .forms import ApiTokenForm, CodeForm, MobileForm, ProfileForm
from .selectors import api_token_list
from .services import (
    api_token_create,
    api_token_revoke,
    seller_email_verification_request,
    seller_otp_login,
    seller_otp_request,
    seller_profile_update,
    seller_sign_out_everywhere,
)

SIGN_IN_URL = "/start"
SIGN_IN_MOBILE = "platform_sign_in_mobile"
SIGN_IN_NEXT = "platform_sign_in_next"
member_page = login_required(login_url=SIGN_IN_URL)


def page_error(response, error: ApplicationError):
    """A page answering a service's error: its status, and Retry-After when throttled."""
    response.status_code = error.status_code
    if isinstance(error, ThrottledError):
        response["Retry-After"] = str(error.details["retry_after_seconds"])
    return response


def _after_sign_in(request) -> str:
    """First time (no name or e-mail yet): About you; then the page asked for, or onwards."""
    seller = request.user
    if not seller.name or not seller.email:
        return reverse("platform-about-you")
    return request.session.pop(SIGN_IN_NEXT, None) or reverse("platform-continue")


def _remember_next(request) -> None:
    next_path = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(next_path, allowed_hosts={request.get_host()})
    if next_path.startswith("/") and allowed:
        request.session[SIGN_IN_NEXT] = next_path


@method_decorator(never_cache, name="dispatch")
class SignInMobileView(View):
    """Start selling / Sign in: the mobile number; a code goes out by SMS."""

    template_name = "platform/sign_in_mobile.html"

    def get(self, request):
        _remember_next(request)
        if request.user.is_authenticated:
            return redirect(_after_sign_in(request))
        initial = {"mobile": request.session.get(SIGN_IN_MOBILE, "")}
        return render(request, self.template_name, {"form": MobileForm(initial=initial)})

    def post(self, request):
        form = MobileForm(request.POST)
        valid = form.is_valid()
        try:
            # The API's limits: code requests per IP, codes sent per mobile.
            throttles_check(request, OTP_REQUEST_THROTTLES)
            if valid:
                mobile = form.cleaned_data["mobile"]
                with otp_sent_counted(mobile=mobile):
                    seller_otp_request(mobile=mobile)
                request.session[SIGN_IN_MOBILE] = mobile
                return redirect("platform-sign-in-code")
        except ApplicationError as error:
            form.show(error)
            return page_error(render(request, self.template_name, {"form": form}), error)
        return render(request, self.template_name, {"form": form}, status=400)


@method_decorator(never_cache, name="dispatch")
class SignInCodeView(View):
    """The code from the SMS: signs the seller in (the first right code creates the account)."""

    template_name = "platform/sign_in_code.html"

    def get(self, request):
        mobile = request.session.get(SIGN_IN_MOBILE)
        if not mobile:
            return redirect(SIGN_IN_URL)
        return render(request, self.template_name, {"form": CodeForm(), "mobile": mobile})

    def post(self, request):
        mobile = request.session.get(SIGN_IN_MOBILE)
        if not mobile:
            return redirect(SIGN_IN_URL)
        form = CodeForm(request.POST)
        valid = form.is_valid()
        context = {"form": form, "mobile": mobile}
        try:
            _body_mobile_set(request, mobile)
            throttles_check(request, OTP_VERIFY_THROTTLES)
            if valid:
                with otp_wrong_codes_counted(request=request, mobile=mobile):
                    seller, _ = seller_otp_login(mobile=mobile, code=form.cleaned_data["otp"])
                login(request, seller, backend="django.contrib.auth.backends.ModelBackend")
                request.session.pop(SIGN_IN_MOBILE, None)
                return redirect(_after_sign_in(request))
        except ApplicationError as error:
            form.show(error)
            return page_error(render(request, self.template_name, context), error)
        return render(request, self.template_name, context, status=400)


def _body_mobile_set(request, mobile: str) -> None:
    # The per-mobile wrong-code limit reads the mobile from the body, as the API sends it
    # (saas.api.throttles.request_mobile); this flow keeps it in the session instead.
    body = request.POST.copy()
    body["mobile"] = mobile
    request.POST = body


@method_decorator([member_page, never_cache], name="dispatch")
class AboutYouView(View):
    """A new seller's name and e-mail (the address gets its verification link)."""

    template_name = "platform/about_you.html"

    def get(self, request):
        initial = {"name": request.user.name, "email": request.user.email or ""}
        return render(request, self.template_name, {"form": ProfileForm(initial=initial)})

    def post(self, request):
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                _email_probe_limit(request, form.cleaned_data.get("email"))
                seller, sent = seller_profile_update(seller=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form.show(error)
                return page_error(render(request, self.template_name, {"form": form}), error)
            _profile_saved_message(request, seller, sent)
            return redirect(_after_sign_in(request))
        return render(request, self.template_name, {"form": form}, status=400)


def _email_probe_limit(request, email: str | None) -> None:
    """A new address counts against the sign-up limit per IP: the answer says whether an
    address is taken, so trying addresses here must cost what trying them at sign-up does."""
    if email and email.strip().lower() != (request.user.email or "").lower():
        throttles_check(request, [UsersCreateThrottle])


def _profile_saved_message(request, seller, sent: bool) -> None:
    if sent:
        text = f"Saved. We sent a link to {seller.email}: open it to confirm your address."
    else:
        text = "Saved."
    messages.success(request, text)


# --- the account page ----------------------------------------------------------------------


def _account_page(request, *, status: int = 200, **context):
    seller = request.user
    context.setdefault(
        "profile_form", ProfileForm(initial={"name": seller.name, "email": seller.email or ""})
    )
    context.setdefault("token_form", ApiTokenForm())
    context["tokens"] = api_token_list(seller=seller)
    return render(request, "platform/account.html", context, status=status)


@method_decorator([member_page, never_cache], name="dispatch")
class AccountView(View):
    """Name, e-mail (verified or not), mobile, API tokens, sign out (here or everywhere)."""

    def get(self, request):
        return _account_page(request)

    def post(self, request):
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                _email_probe_limit(request, form.cleaned_data.get("email"))
                seller, sent = seller_profile_update(seller=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form.show(error)
                request.user.refresh_from_db()  # the page shows what is stored
                return page_error(_account_page(request, profile_form=form), error)
            _profile_saved_message(request, seller, sent)
            return redirect("platform-account")
        return _account_page(request, profile_form=form, status=400)


@require_POST
@member_page
@never_cache
def api_token_create_view(request):
    """The new key is in this answer only (never stored, so never redirected to)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, token_form=form, status=400)
    token, key = api_token_create(seller=request.user, name=form.cleaned_data["name"])
    return _account_page(request, new_token=token, new_key=key)


@require_POST
@member_page
def api_token_revoke_view(request, token_id: int):
    try:
        api_token_revoke(seller=request.user, token_id=token_id)
    except ApplicationError:
        messages.error(request, "That token was revoked already.")
        return redirect("platform-account")
    messages.success(request, "Token revoked: programs using it are refused from now on.")
    return redirect("platform-account")


@require_POST
@member_page
def email_verification_request_view(request):
    seller = request.user
    if seller_email_verification_request(seller=seller):
        messages.success(request, f"We sent a new link to {seller.email}.")
    elif not seller.email or seller.email_verified_at is not None:
        messages.error(request, "There is no unconfirmed address to send a link to.")
    else:
        messages.error(request, "A link was sent a few minutes ago: look for it in your inbox.")
    return redirect("platform-account")


@require_POST
@member_page
def sign_out_everywhere_view(request):
    revoked = seller_sign_out_everywhere(seller=request.user)
    logout(request)
    devices = "1 app sign-in" if revoked == 1 else f"{revoked} app sign-ins"
    messages.success(
        request, f"Signed out on every device and store ({devices} ended). API tokens still work."
    )
    return redirect("home")
