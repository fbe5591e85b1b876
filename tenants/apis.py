from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.access.membership import request_membership
from saas.api.errors import NotFoundError
from saas.api.permissions import IsSeller, IsStoreOwnerToChange
from saas.api.throttles import StoresCreateIpThrottle, StoresCreateSellerThrottle
from shared_apps.accounts.selectors import membership_list

from .errors import StoreErrorCode
from .selectors import store_by_link
from .services import store_create, store_profile_update
from .store_settings import selling_settings_data


class StoreOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    slug = serializers.CharField()
    timezone = serializers.CharField()
    link = serializers.CharField()
    domain = serializers.SerializerMethodField()

    def get_domain(self, store) -> str:
        domain = store.get_primary_domain()
        return domain.domain if domain else ""


class StoreMembershipOutputSerializer(StoreOutputSerializer):
    """One of the caller's stores, as GET /api/stores lists it: the store and the caller's role."""

    role = serializers.CharField()


class StoreListCreateApi(APIView):
    """Each store is a schema of its own and periodic jobs: creating them is limited per seller
    and per client IP (stores_create_seller, stores_create_ip; listing is not)."""

    permission_classes = [IsSeller]
    throttle_classes = [StoresCreateSellerThrottle, StoresCreateIpThrottle]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        address = serializers.CharField(
            max_length=500, required=False, allow_blank=True, default=""
        )
        timezone = serializers.CharField(max_length=64, required=False, default="UTC")

    @extend_schema(request=InputSerializer, responses={201: StoreOutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        store = store_create(owner=request.user, **data.validated_data)
        return Response(StoreOutputSerializer(store).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: StoreMembershipOutputSerializer(many=True)})
    def get(self, request):
        memberships = membership_list(seller=request.user)
        return Response(
            [{**StoreOutputSerializer(m.store).data, "role": m.role} for m in memberships]
        )


class StoreResolveApi(APIView):
    """A buyer's "store link as input": which store answers there."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        address = serializers.CharField()
        link = serializers.CharField()

    @extend_schema(
        parameters=[OpenApiParameter("link", str, required=True)],
        responses={200: OutputSerializer},
    )
    def get(self, request):
        link = request.query_params.get("link", "")
        store = store_by_link(link=link) if link else None
        if store is None:
            raise NotFoundError("No store has this link.", code=StoreErrorCode.STORE_NOT_FOUND)
        return Response(self.OutputSerializer(store).data)


class CurrentStoreApi(APIView):
    """On a store host: the store, its selling settings and the caller's role in it; owners
    change them (one PATCH is saved whole or not at all)."""

    permission_classes = [IsStoreOwnerToChange]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        slug = serializers.CharField()
        address = serializers.CharField()
        timezone = serializers.CharField()
        link = serializers.CharField()
        role = serializers.CharField()
        currency = serializers.CharField()
        delivery_fee = serializers.CharField()
        free_delivery_above = serializers.CharField(allow_null=True)
        tax_rate = serializers.CharField()
        tax_inclusive = serializers.BooleanField()
        cod_enabled = serializers.BooleanField()
        upi_id = serializers.CharField(allow_null=True)

    class PatchInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120, required=False)
        address = serializers.CharField(max_length=500, required=False, allow_blank=True)
        timezone = serializers.CharField(max_length=64, required=False)
        # Shapes only; the rules (ranges, ISO 4217, the UPI form) are store_settings.py's.
        currency = serializers.CharField(max_length=16, required=False)
        delivery_fee = serializers.DecimalField(None, None, required=False)
        free_delivery_above = serializers.DecimalField(None, None, required=False, allow_null=True)
        tax_rate = serializers.DecimalField(None, None, required=False)
        tax_inclusive = serializers.BooleanField(required=False)
        cod_enabled = serializers.BooleanField(required=False)
        upi_id = serializers.CharField(
            max_length=320, required=False, allow_null=True, allow_blank=True
        )

    def _answer(self, request):
        store = request.tenant
        role = request_membership(request).role
        return Response(
            {
                "id": store.pk,
                "name": store.name,
                "slug": store.slug,
                "address": store.address,
                "timezone": store.timezone,
                "link": store.link,
                "role": role,
                **selling_settings_data(store),
            }
        )

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request):
        return self._answer(request)

    @extend_schema(request=PatchInputSerializer, responses={200: OutputSerializer})
    def patch(self, request):
        data = self.PatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        store_profile_update(store=request.tenant, **data.validated_data)
        return self._answer(request)
