"""The seller's discount codes: `/api/discounts` and `/api/discounts/<id>` (store members).

Money and percentages are decimal strings with two places; times are ISO 8601 (a time without
an offset is the store's local time).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.fields import MomentField
from saas.api.pagination import StandardPagination

from .discount_selectors import discount_get, discount_list, discount_state
from .discounts import discount_create, discount_delete, discount_update


class DiscountOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.DecimalField(max_digits=10, decimal_places=2)
    min_subtotal = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    max_uses = serializers.IntegerField(allow_null=True)
    max_uses_per_customer = serializers.IntegerField(allow_null=True)
    uses = serializers.IntegerField(source="uses_count")
    active = serializers.BooleanField(source="is_active")
    state = serializers.SerializerMethodField()
    only_for = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_state(self, discount) -> str:
        return discount_state(discount)

    def get_only_for(self, discount) -> dict | None:
        """A code the conversations tool gave one client: that client's mobile and e-mail."""
        if not discount.only_for_mobile and not discount.only_for_email:
            return None
        return {"mobile": discount.only_for_mobile, "email": discount.only_for_email}


class DiscountInputSerializer(serializers.Serializer):
    """Shapes only: the rules (code form, ranges, dates, limits) are discounts.py's."""

    code = serializers.CharField(max_length=100)
    kind = serializers.CharField(max_length=20)
    value = serializers.DecimalField(None, None)
    min_subtotal = serializers.DecimalField(None, None, required=False, allow_null=True)
    starts_at = MomentField(required=False, allow_null=True)
    ends_at = MomentField(required=False, allow_null=True)
    max_uses = serializers.IntegerField(required=False, allow_null=True)
    max_uses_per_customer = serializers.IntegerField(required=False, allow_null=True)


class DiscountPatchSerializer(DiscountInputSerializer):
    active = serializers.BooleanField(required=False, source="is_active")


class DiscountCollectionApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses={200: DiscountOutputSerializer(many=True)})
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(discount_list(), request, view=self)
        return paginator.get_paginated_response(DiscountOutputSerializer(page, many=True).data)

    @extend_schema(request=DiscountInputSerializer, responses={201: DiscountOutputSerializer})
    def post(self, request):
        data = DiscountInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        discount = discount_create(**data.validated_data)
        return Response(DiscountOutputSerializer(discount).data, status=status.HTTP_201_CREATED)


class DiscountDetailApi(APIView):
    patch_is_partial = True  # PATCH changes only the fields it names

    @extend_schema(responses={200: DiscountOutputSerializer})
    def get(self, request, discount_id: int):
        return Response(DiscountOutputSerializer(discount_get(discount_id=discount_id)).data)

    @extend_schema(request=DiscountPatchSerializer, responses={200: DiscountOutputSerializer})
    def patch(self, request, discount_id: int):
        discount = discount_get(discount_id=discount_id)
        data = DiscountPatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        discount = discount_update(discount=discount, **data.validated_data)
        return Response(DiscountOutputSerializer(discount).data)

    @extend_schema(responses={200: DiscountOutputSerializer, 204: None})
    def delete(self, request, discount_id: int):
        """204 when the code was deleted; 200 with the code when it had been used, so it was
        deactivated instead (its orders keep pointing at it)."""
        discount = discount_get(discount_id=discount_id)
        if discount_delete(discount=discount):
            return Response(status=status.HTTP_204_NO_CONTENT)
        discount = discount_get(discount_id=discount_id)
        return Response(DiscountOutputSerializer(discount).data)
