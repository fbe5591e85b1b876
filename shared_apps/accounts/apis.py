from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from saas.api.authentication import SELLER_TOKEN_KIND, seller_token_pair
from saas.api.errors import ApplicationError
from saas.api.permissions import IsStoreMember

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
    """Register by e-mail; answers with the seller's first API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

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


class OtpRequestApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        mobile = serializers.CharField(max_length=32)

    @extend_schema(request=InputSerializer, responses={202: None})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seller_otp_request(mobile=data.validated_data["mobile"])
        return Response({"status": "sent"}, status=status.HTTP_202_ACCEPTED)


class OtpVerifyApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        mobile = serializers.CharField(max_length=32)
        otp = serializers.CharField(max_length=12)

    @extend_schema(
        request=InputSerializer,
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
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seller, created = seller_otp_login(
            mobile=data.validated_data["mobile"], code=data.validated_data["otp"]
        )
        return Response(
            {
                **seller_token_pair(seller),
                "seller": SellerOutputSerializer(seller).data,
                "created": created,
            }
        )


class TokenRefreshApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        refresh = serializers.CharField()

    @extend_schema(
        request=InputSerializer,
        responses={200: inline_serializer("AccessToken", {"access": serializers.CharField()})},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            refresh = RefreshToken(data.validated_data["refresh"])
        except TokenError as error:
            raise ApplicationError(
                "The refresh token is invalid or expired.", code="token_invalid", status_code=401
            ) from error
        if (
            refresh.get("kind") != SELLER_TOKEN_KIND
            or not Seller.objects.filter(pk=refresh.get("user_id"), is_active=True).exists()
        ):
            raise ApplicationError(
                "The refresh token is not a seller's.", code="token_invalid", status_code=401
            )
        return Response({"access": str(refresh.access_token)})


class ApiTokenOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(source="key_prefix")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class ApiTokenListCreateApi(APIView):
    permission_classes = [IsStoreMember]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100, required=False, default="default")

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
