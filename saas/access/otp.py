"""The one OTP sign-in flow (ask for a code, then trade it for tokens), per audience.

Sellers sign in on any host; a store's buyers sign in on that store's host only. An audience
says how to send a code, how a verified mobile becomes a person, and what the answer holds.

The flow holds the platform's limits, the same for every audience (saas/api/throttles.py):
code requests per IP, codes sent per mobile (counted when a code is about to go out, given
back when it does not), and wrong codes per IP and per mobile (counted here when the check
says the code was wrong; once full, even a right code waits). The HTML sign-in page uses the
same throttles and `otp_sent_counted` / `otp_wrong_codes_counted`.
"""

from abc import ABC, abstractmethod
from contextlib import contextmanager

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.throttles import (
    OtpRequestIpThrottle,
    OtpRequestMobileDayThrottle,
    OtpRequestMobileHourThrottle,
    OtpVerifyIpThrottle,
    OtpVerifyMobileThrottle,
    client_ip,
)
from saas.validation import phone_to_e164
from shared_apps.accounts.otp import OtpError, otp_code_well_formed

OTP_REQUEST_THROTTLES = (OtpRequestIpThrottle,)
OTP_VERIFY_THROTTLES = (OtpVerifyIpThrottle, OtpVerifyMobileThrottle)
OTP_SENT_THROTTLES = (OtpRequestMobileHourThrottle, OtpRequestMobileDayThrottle)


class OtpAudience(ABC):
    """Subclass per audience; every method gets the request (its host names the store)."""

    @abstractmethod
    def code_request(self, *, request, mobile: str) -> None: ...

    @abstractmethod
    def login(self, *, request, mobile: str, code: str) -> tuple[object, bool]:
        """(person, created) for a right code; raises the OTP error otherwise."""

    @abstractmethod
    def login_answer(self, *, request, person, created: bool) -> dict: ...


@extend_schema_field(
    {"type": "string", "pattern": f"^[0-9]{{{settings.OTP_LENGTH}}}$", "example": "123456"}
)
class OtpCodeField(serializers.CharField):
    """The code as sent: exactly OTP_LENGTH ASCII digits, checked before anything compares it."""

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        if not otp_code_well_formed(code):
            raise serializers.ValidationError(
                f"Enter the {settings.OTP_LENGTH}-digit code from the SMS.", code="otp_invalid"
            )
        return code


class MobileInputSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=32)


class MobileCodeInputSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=32)
    otp = OtpCodeField(max_length=12)


@contextmanager
def otp_sent_counted(*, mobile: str):
    """Count one code to `mobile` against the per-mobile limits (ThrottledError when full);
    given back when the block raises, since then no code went out."""
    taken = []
    try:
        for throttle_class in OTP_SENT_THROTTLES:
            taken.append(throttle_class().take(phone_to_e164(mobile)))
        yield
    except BaseException:
        for entry in taken:
            if entry is not None:
                entry.throttle.give_back(entry)
        raise


@contextmanager
def otp_wrong_codes_counted(*, request, mobile: str):
    """A wrong code raised in the block counts for the caller's IP and for the mobile."""
    try:
        yield
    except OtpError as error:
        if error.code_was_wrong:
            OtpVerifyIpThrottle().record(client_ip(request))
            OtpVerifyMobileThrottle().record(phone_to_e164(mobile))
        raise


class OtpRequestApi(APIView):
    """POST {"mobile"} → 202 {"status": "sent"}. Subclasses set `audience`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = list(OTP_REQUEST_THROTTLES)
    audience: OtpAudience
    InputSerializer = MobileInputSerializer

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mobile = data.validated_data["mobile"]
        with otp_sent_counted(mobile=mobile):
            self.audience.code_request(request=request, mobile=mobile)
        return Response({"status": "sent"}, status=status.HTTP_202_ACCEPTED)


class OtpVerifyApi(APIView):
    """POST {"mobile", "otp"} → 200 with the audience's tokens. Subclasses set `audience`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = list(OTP_VERIFY_THROTTLES)
    audience: OtpAudience
    InputSerializer = MobileCodeInputSerializer

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mobile, code = data.validated_data["mobile"], data.validated_data["otp"]
        with otp_wrong_codes_counted(request=request, mobile=mobile):
            person, created = self.audience.login(request=request, mobile=mobile, code=code)
        return Response(self.audience.login_answer(request=request, person=person, created=created))
