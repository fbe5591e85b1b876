"""The cart's discount code (buyers, anonymous with the cart's token) and the seller's record
of an order's payment."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.api.permissions import IsStoreHost

from .apis import (
    CART_TOKEN_PARAMETER,
    CartOutputSerializer,
    OrderOutputSerializer,
    cart_data,
    cart_token_from_request,
    order_data,
)
from .checkout import (
    cart_discount_remove,
    cart_discount_set,
    cart_open_check,
    order_payment_record,
)
from .selectors import cart_get, cart_summary, order_get


class CartDiscountApi(APIView):
    """POST applies a discount code to the cart (400 with the reason when it does not apply);
    DELETE removes it. Either answers the cart with its new totals."""

    authentication_classes: list = []
    permission_classes = [IsStoreHost]

    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=100)

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        request=InputSerializer,
        responses={200: CartOutputSerializer},
    )
    def post(self, request):
        cart = cart_get(token=cart_token_from_request(request))
        cart_open_check(cart)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subtotal = cart_summary(cart=cart).subtotal
        cart = cart_discount_set(cart=cart, code=data.validated_data["code"], subtotal=subtotal)
        return Response(cart_data(request, cart))

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER], request=None, responses={200: CartOutputSerializer}
    )
    def delete(self, request):
        cart = cart_get(token=cart_token_from_request(request))
        cart_open_check(cart)
        return Response(cart_data(request, cart_discount_remove(cart=cart)))


class OrderPaymentApi(APIView):
    """The store's owner or staff record that an order was paid, or refunded after paid."""

    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["paid", "refunded"])
        reference = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default=""
        )

    @extend_schema(request=InputSerializer, responses={200: OrderOutputSerializer})
    def post(self, request, order_id: int):
        order = order_get(order_id=order_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_payment_record(order=order, **data.validated_data)
        return Response(order_data(request, order_get(order_id=order.pk)))
