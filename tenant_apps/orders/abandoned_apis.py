"""`GET /api/carts/abandoned` (store members, like every seller API): carts with lines that were
not ordered and have been idle longer than ABANDONED_CART_IDLE_MINUTES, the most recently
active first, paginated. Money is decimal strings with two places, plus the currency."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from saas.api.pagination import StandardPagination

from .abandoned import AbandonedCart, abandoned_cart_list, abandoned_cart_summaries
from .apis import money_field


class AbandonedLineOutputSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    quantity = serializers.IntegerField()
    line_total = money_field()


class AbandonedCartOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    customer_mobile = serializers.CharField(allow_null=True)
    lines = AbandonedLineOutputSerializer(many=True)
    item_count = serializers.IntegerField()
    subtotal = money_field()
    discount = money_field()
    delivery_fee = money_field()
    tax = money_field()
    total = money_field()
    currency = serializers.CharField()
    discount_code = serializers.CharField()


def abandoned_cart_data(cart: AbandonedCart) -> dict:
    totals = cart.totals
    fields = {"subtotal": totals.subtotal, "discount": totals.discount,
              "delivery_fee": totals.delivery_fee, "tax": totals.tax, "total": totals.total,
              "currency": totals.currency}  # fmt: skip
    return AbandonedCartOutputSerializer({**cart.__dict__, **fields}).data


class AbandonedCartListApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses={200: AbandonedCartOutputSerializer(many=True)})
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(abandoned_cart_list(), request, view=self)
        carts = abandoned_cart_summaries(page)
        return paginator.get_paginated_response([abandoned_cart_data(cart) for cart in carts])
