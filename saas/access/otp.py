"""The one OTP sign-in flow (ask for a code, then trade it for tokens), per audience.

Sellers sign in on any host; a store's buyers sign in on that store's host only. An audience
says how to send a code, how a verified mobile becomes a person, and what the answer holds.
"""

from abc import ABC, abstractmethod

from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class OtpAudience(ABC):
    """Subclass per audience; every method gets the request (its host names the store)."""

    @abstractmethod
    def code_request(self, *, request, mobile: str) -> None: ...

    @abstractmethod
    def login(self, *, request, mobile: str, code: str) -> tuple[object, bool]:
        """(person, created) for a right code; raises the OTP error otherwise."""

    @abstractmethod
    def login_answer(self, *, request, person, created: bool) -> dict: ...


class MobileInputSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=32)


class MobileCodeInputSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=32)
    otp = serializers.CharField(max_length=12)


class OtpRequestApi(APIView):
    """POST {"mobile"} → 202 {"status": "sent"}. Subclasses set `audience`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    audience: OtpAudience
    InputSerializer = MobileInputSerializer

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.audience.code_request(request=request, mobile=data.validated_data["mobile"])
        return Response({"status": "sent"}, status=status.HTTP_202_ACCEPTED)


class OtpVerifyApi(APIView):
    """POST {"mobile", "otp"} → 200 with the audience's tokens. Subclasses set `audience`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    audience: OtpAudience
    InputSerializer = MobileCodeInputSerializer

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person, created = self.audience.login(
            request=request, mobile=data.validated_data["mobile"], code=data.validated_data["otp"]
        )
        return Response(self.audience.login_answer(request=request, person=person, created=created))
