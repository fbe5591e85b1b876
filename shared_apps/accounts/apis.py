from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.access import otp, token_views
from saas.access.jwt import refresh_revoke_all
from saas.access.otp import MobileCodeInputSerializer, MobileInputSerializer
from saas.api.authentication import SellerJWTAuthentication, seller_token_pair
from saas.api.fields import StrictCharField
from saas.api.permissions import IsStoreMember
from saas.api.throttles import UsersCreateThrottle

from .models import Seller
from .selectors import api_token_list
from .services import (
    api_token_create,
    api_token_revoke,
    seller_create_with_email,
    seller_otp_login,
    seller_otp_request,
)


class SellerOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Seller
        fields = ["id", "email", "mobile", "name", "date_joined"]


class UserCreateApi(APIView):
    """Register by e-mail; answers with the seller's first API token.

    Limited per client IP (users_create): the answer says whether an address is registered.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [UsersCreateThrottle]

    class InputSerializer(serializers.Serializer):
        email = serializers.CharField(max_length=254)

    @extend_schema(
        request=InputSerializer,
        responses={200: inline_serializer("UserCreated", {"token": serializers.CharField()})},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, key = seller_create_with_email(email=data.validated_data["email"])
        return Response({"token": key}, status=status.HTTP_200_OK)


class SellerOtpAudience(otp.OtpAudience):
    """Sellers: one account per mobile across the platform; the answer is a seller JWT pair."""

    def code_request(self, *, request, mobile):
        seller_otp_request(mobile=mobile)

    def login(self, *, request, mobile, code):
        return seller_otp_login(mobile=mobile, code=code)

    def login_answer(self, *, request, person, created):
        return {
            **seller_token_pair(person),
            "seller": SellerOutputSerializer(person).data,
            "created": created,
        }


@extend_schema_view(post=extend_schema(request=MobileInputSerializer, responses={202: None}))
class OtpRequestApi(otp.OtpRequestApi):
    audience = SellerOtpAudience()


@extend_schema_view(
    post=extend_schema(
        request=MobileCodeInputSerializer,
        responses={
            200: inline_serializer(
                "SellerLogin",
                {
                    "access": serializers.CharField(),
                    "refresh": serializers.CharField(),
                    "seller": SellerOutputSerializer(),
                    "created": serializers.BooleanField(),
                },
            )
        },
    )
)
class OtpVerifyApi(otp.OtpVerifyApi):
    audience = SellerOtpAudience()


@extend_schema_view(
    post=extend_schema(
        request=token_views.RefreshInputSerializer,
        responses={200: inline_serializer("AccessToken", {"access": serializers.CharField()})},
    )
)
class TokenRefreshApi(token_views.TokenRefreshApi):
    audience = SellerJWTAuthentication


@extend_schema_view(
    post=extend_schema(request=token_views.RefreshInputSerializer, responses={204: None})
)
class LogoutApi(token_views.LogoutApi):
    """Sign out one session of a seller."""

    audience = SellerJWTAuthentication


class LogoutAllApi(APIView):
    """Sign out everywhere: every refresh token of the signed-in seller is revoked."""

    @extend_schema(
        request=None,
        responses={200: inline_serializer("LoggedOut", {"revoked": serializers.IntegerField()})},
    )
    def post(self, request):
        return Response({"revoked": refresh_revoke_all(owner=request.user)})


class ApiTokenOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(source="key_prefix")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class ApiTokenListCreateApi(APIView):
    permission_classes = [IsStoreMember]

    class InputSerializer(serializers.Serializer):
        name = StrictCharField(max_length=100, required=False, default="default")

    @extend_schema(responses={200: ApiTokenOutputSerializer(many=True)})
    def get(self, request):
        tokens = api_token_list(seller=request.user)
        return Response(ApiTokenOutputSerializer(tokens, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ApiTokenOutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = api_token_create(seller=request.user, name=data.validated_data["name"])
        return Response(
            {**ApiTokenOutputSerializer(token).data, "key": key}, status=status.HTTP_201_CREATED
        )


class ApiTokenRevokeApi(APIView):
    permission_classes = [IsStoreMember]

    @extend_schema(responses={204: None})
    def delete(self, request, token_id: int):
        api_token_revoke(seller=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
