"""The refresh and sign-out endpoints, written once for every JWT audience.

Kept apart from jwt.py: DRF imports the authentication classes while `rest_framework.views`
loads, so the module defining them must not import DRF's views.
"""

from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .jwt import AudienceJWTAuthentication


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class TokenRefreshApi(APIView):
    """POST {"refresh"} → {"access"}. Subclasses set `audience` (an authentication class)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    audience: type[AudienceJWTAuthentication]
    InputSerializer = RefreshInputSerializer

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access = self.audience().access_from_refresh(
            refresh=data.validated_data["refresh"], request=request
        )
        return Response({"access": access})


class LogoutApi(APIView):
    """POST {"refresh"} → 204: that refresh token is revoked. The token is its own proof, as in
    simplejwt's blacklist view; access tokens already issued live out their minutes."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    audience: type[AudienceJWTAuthentication]
    InputSerializer = RefreshInputSerializer

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.audience().logout(refresh=data.validated_data["refresh"], request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
