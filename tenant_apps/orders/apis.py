from typing import Literal

from django.db import connection
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.access import otp, token_views
from saas.api.pagination import StandardPagination
from saas.api.permissions import IsStoreHost
from saas.api.throttles import CartCreateIpThrottle
from tenant_apps.catalog.images import image_absolute_url

from . import addresses
from .authentication import CustomerJWTAuthentication, IsCustomer, customer_token_pair
from .errors import OrdersError, OrdersErrorCode
from .models import Order, OrderNotification
from .payment import payment_instructions
from .selectors import cart_get, cart_summary, order_get, order_list
from .services import (
    CART_MAX_QUANTITY,
    cart_create,
    cart_customer_claim,
    cart_line_set,
    cart_touch,
    customer_otp_login,
    customer_otp_request,
    order_place,
    order_status_set,
)

CART_TOKEN_HEADER = "X-Cart-Token"
# A cart's token is URL-safe base64 (secrets.token_urlsafe); an empty or blank one is missing.
CART_TOKEN_PARAMETER = OpenApiParameter(
    CART_TOKEN_HEADER, str, OpenApiParameter.HEADER, True, pattern="^[A-Za-z0-9_-]+$"
)


# --- shared output shapes -----------------------------------------------------------------


def money_field():
    return serializers.DecimalField(max_digits=12, decimal_places=2)


class CartLineOutputSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    quantity = serializers.IntegerField()
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    image = serializers.SerializerMethodField()

    def get_image(self, line) -> str | None:
        return image_absolute_url(self.context["request"], line.image)


class CartOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    status = serializers.CharField()
    lines = CartLineOutputSerializer(many=True)
    item_count = serializers.IntegerField()
    # Money from pricing.totals_compute with the store's rules (see docs/commerce.md).
    subtotal = money_field()
    discount = money_field()
    delivery_fee = money_field()
    tax = money_field()
    total = money_field()
    currency = serializers.CharField()
    discount_code = serializers.CharField()
    discount_problem = serializers.DictField(allow_null=True)


def cart_data(request, cart) -> dict:
    return CartOutputSerializer(cart_summary(cart=cart), context={"request": request}).data


class AddressSerializer(serializers.Serializer):
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    pincode = serializers.CharField(max_length=12)
    phone = serializers.CharField(max_length=24)

    # Read the way the store's country writes them (orders/addresses.py: region, PIN rule).
    def validate_pincode(self, value: str) -> str:
        pincode = addresses.store_postal_code_clean(value)
        if pincode is None:
            raise serializers.ValidationError(addresses.store_postal_code_help(), code="invalid")
        return pincode

    def validate_phone(self, value: str) -> str:
        phone = addresses.store_phone_e164(value)
        if phone is None:
            raise serializers.ValidationError(addresses.store_phone_help(), code="invalid")
        return phone


class OrderLineOutputSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    mrp = serializers.DecimalField(max_digits=10, decimal_places=2)
    quantity = serializers.IntegerField()
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    image = serializers.SerializerMethodField()

    def get_image(self, line) -> str | None:
        return image_absolute_url(self.context["request"], line.image)


class CustomerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mobile = serializers.CharField()


class BuyerOrderOutputSerializer(serializers.Serializer):
    """An order as its buyer reads it."""

    id = serializers.IntegerField()
    order_id = serializers.IntegerField(source="id")
    number = serializers.CharField()
    status = serializers.CharField()
    subtotal = money_field()
    discount = money_field()
    delivery_fee = money_field()
    tax = money_field()
    total = money_field()
    currency = serializers.CharField()
    discount_code = serializers.CharField()
    payment_method = serializers.CharField()
    payment_status = serializers.CharField()
    payment = serializers.SerializerMethodField()
    lines = OrderLineOutputSerializer(many=True)
    address = serializers.SerializerMethodField()
    note = serializers.CharField()
    email = serializers.CharField()
    customer = CustomerOutputSerializer()
    created_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField()

    def get_payment(self, order) -> dict | None:
        # What the buyer needs to pay (UPI: the link and its QR code); null for cash.
        return payment_instructions(order=order, store=connection.tenant)

    def get_address(self, order) -> dict:
        return {
            "line1": order.address_line1,
            "line2": order.address_line2,
            "city": order.address_city,
            "pincode": order.address_pincode,
            "phone": order.address_phone,
        }


class OrderNotificationOutputSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=OrderNotification.Event.choices)
    channel = serializers.ChoiceField(choices=OrderNotification.Channel.choices)
    status = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, notification) -> Literal["pending", "sent", "failed"]:
        # "sending" lasts a moment inside a worker: to the seller it is still pending.
        if notification.status == OrderNotification.Status.SENDING:
            return OrderNotification.Status.PENDING
        return notification.status


class OrderOutputSerializer(BuyerOrderOutputSerializer):
    """An order as the store's members read it: the buyer's answer and its notifications
    (the buyer's SMS and e-mail, the team's e-mail: `new_order`), oldest first."""

    notifications = OrderNotificationOutputSerializer(many=True)


def order_data(request, order) -> dict:
    """The seller's answer (with `notifications`); buyers get `buyer_order_data`."""
    return OrderOutputSerializer(order, context={"request": request}).data


def buyer_order_data(request, order) -> dict:
    return BuyerOrderOutputSerializer(order, context={"request": request}).data


def orders_page(request, view, orders, *, data=order_data) -> Response:
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(orders, request, view=view)
    return paginator.get_paginated_response([data(request, order) for order in page])


# --- cart (anonymous, on the store host) --------------------------------------------------


class CartApi(APIView):
    """POST makes a cart (limited per client IP in each store); GET reads it by its token
    (header X-Cart-Token)."""

    authentication_classes: list = []
    permission_classes = [IsStoreHost]
    throttle_classes = [CartCreateIpThrottle]

    @extend_schema(request=None, responses={201: CartOutputSerializer})
    def post(self, request):
        cart = cart_create()
        return Response(cart_data(request, cart), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        responses={200: CartOutputSerializer},
    )
    def get(self, request):
        cart = cart_get(token=cart_token_from_request(request))
        cart_touch(cart=cart)
        return Response(cart_data(request, cart))


def cart_token_from_request(request) -> str:
    token = request.headers.get(CART_TOKEN_HEADER, "").strip()
    if not token:
        raise OrdersError(
            f"Send the cart's token in the {CART_TOKEN_HEADER} header.",
            code=OrdersErrorCode.CART_TOKEN_MISSING,
        )
    return token


class CartItemSetApi(APIView):
    authentication_classes: list = []
    permission_classes = [IsStoreHost]

    class InputSerializer(serializers.Serializer):
        product_id = serializers.IntegerField(min_value=1)
        quantity = serializers.IntegerField(min_value=0, max_value=CART_MAX_QUANTITY)

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        request=InputSerializer,
        responses={200: CartOutputSerializer},
    )
    def put(self, request):
        cart = cart_get(token=cart_token_from_request(request))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart = cart_line_set(cart=cart, **data.validated_data)
        return Response(cart_data(request, cart))


# --- buyer sign-in ----------------------------------------------------------------------------


class CustomerOtpAudience(otp.OtpAudience):
    """A store's buyers: codes and accounts belong to the store of the host."""

    def code_request(self, *, request, mobile):
        customer_otp_request(mobile=mobile, schema_name=request.tenant.schema_name)

    def login(self, *, request, mobile, code):
        return customer_otp_login(mobile=mobile, code=code, schema_name=request.tenant.schema_name)

    def login_answer(self, *, request, person, created):
        # Signing in at checkout with the cart in hand makes the cart the buyer's.
        cart_customer_claim(cart_token=request.headers.get(CART_TOKEN_HEADER, ""), customer=person)
        tokens = customer_token_pair(customer=person, schema_name=request.tenant.schema_name)
        return {**tokens, "customer": CustomerOutputSerializer(person).data, "created": created}


class StoreMobileMixin:
    """A buyer may write the mobile as people of the store's country do ("98111 11111" in an
    Indian store): it becomes E.164 here, before the per-mobile limits count it. A number that
    is none is passed on as it is, for the OTP flow to refuse (invalid_mobile)."""

    def validate_mobile(self, value: str) -> str:
        return addresses.store_phone_e164(value) or value


class CustomerMobileInputSerializer(StoreMobileMixin, otp.MobileInputSerializer):
    pass


class CustomerMobileCodeInputSerializer(StoreMobileMixin, otp.MobileCodeInputSerializer):
    pass


@extend_schema_view(
    post=extend_schema(
        request=CustomerMobileInputSerializer,
        responses={202: inline_serializer("OtpSent", {"status": serializers.CharField()})},
    )
)
class CustomerOtpRequestApi(otp.OtpRequestApi):
    permission_classes = [IsStoreHost]
    audience = CustomerOtpAudience()
    InputSerializer = CustomerMobileInputSerializer


@extend_schema_view(
    post=extend_schema(
        request=CustomerMobileCodeInputSerializer,
        responses={
            200: inline_serializer(
                "CustomerLogin",
                {
                    "access": serializers.CharField(),
                    "refresh": serializers.CharField(),
                    "customer": CustomerOutputSerializer(),
                    "created": serializers.BooleanField(),
                },
            )
        },
    )
)
@extend_schema_view(
    post=extend_schema(
        parameters=[
            OpenApiParameter(
                CART_TOKEN_HEADER,
                str,
                OpenApiParameter.HEADER,
                False,
                description="The buyer's open cart, to be theirs once signed in.",
            )
        ]
    )
)
class CustomerOtpVerifyApi(otp.OtpVerifyApi):
    permission_classes = [IsStoreHost]
    audience = CustomerOtpAudience()
    InputSerializer = CustomerMobileCodeInputSerializer


@extend_schema_view(
    post=extend_schema(
        request=token_views.RefreshInputSerializer,
        responses={200: inline_serializer("CustomerAccess", {"access": serializers.CharField()})},
    )
)
class CustomerTokenRefreshApi(token_views.TokenRefreshApi):
    permission_classes = [IsStoreHost]
    audience = CustomerJWTAuthentication


@extend_schema_view(
    post=extend_schema(request=token_views.RefreshInputSerializer, responses={204: None})
)
class CustomerLogoutApi(token_views.LogoutApi):
    """A buyer signs out: the refresh token (of this store's buyers) is revoked."""

    permission_classes = [IsStoreHost]
    audience = CustomerJWTAuthentication


class CustomerMeApi(APIView):
    authentication_classes = [CustomerJWTAuthentication]
    permission_classes = [IsCustomer]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        mobile = serializers.CharField()
        name = serializers.CharField()
        addresses = serializers.SerializerMethodField()

        def get_addresses(self, customer) -> list[dict]:
            return [
                {"id": address.id, **AddressSerializer(address).data}
                for address in customer.addresses.all()
            ]

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)


class CustomerOrderListApi(APIView):
    authentication_classes = [CustomerJWTAuthentication]
    permission_classes = [IsCustomer]
    pagination_class = StandardPagination

    @extend_schema(responses={200: BuyerOrderOutputSerializer(many=True)})
    def get(self, request):
        return orders_page(request, self, order_list(customer=request.user), data=buyer_order_data)


class CustomerOrderDetailApi(APIView):
    authentication_classes = [CustomerJWTAuthentication]
    permission_classes = [IsCustomer]

    @extend_schema(responses={200: BuyerOrderOutputSerializer})
    def get(self, request, order_id: int):
        order = order_get(order_id=order_id, customer=request.user)
        return Response(buyer_order_data(request, order))


# --- orders ---------------------------------------------------------------------------------


class OrderCollectionApi(APIView):
    """GET: the store's orders for its sellers. POST: a signed-in buyer places an order.

    One URL, two audiences: the credential each method accepts is chosen per method, so a
    buyer token never lists the store's orders and a seller token never places one.
    """

    pagination_class = StandardPagination

    class PlaceInputSerializer(serializers.Serializer):
        cart_token = serializers.CharField(max_length=64)
        address = AddressSerializer()
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
        payment_method = serializers.ChoiceField(
            choices=Order.PaymentMethod.choices, required=False, default=Order.PaymentMethod.COD
        )
        # Where the order's e-mails go, besides the SMS to the mobile the buyer signed in with.
        email = serializers.EmailField(required=False, allow_blank=True, default="")

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Order.Status.choices, required=False)

    def _is_place(self) -> bool:
        # The schema generator builds views without a request at first.
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        if self._is_place():
            return [CustomerJWTAuthentication()]
        return super().get_authenticators()

    def get_permissions(self):
        if self._is_place():
            return [IsCustomer()]
        return super().get_permissions()

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=Order.Status.values)],
        responses={200: OrderOutputSerializer(many=True)},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return orders_page(request, self, order_list(status=filters.validated_data.get("status")))

    @extend_schema(
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        request=PlaceInputSerializer,
        responses={201: BuyerOrderOutputSerializer},
    )
    def post(self, request):
        data = self.PlaceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        order, created = order_place(
            customer=request.user, idempotency_key=key, **data.validated_data
        )
        response = Response(
            buyer_order_data(request, order_get(order_id=order.pk, customer=request.user)),
            status=status.HTTP_201_CREATED,
        )
        if not created:
            # The same answer as the first time, marked as a replay.
            response["Idempotent-Replayed"] = "true"
        return response


class OrderDetailApi(APIView):
    @extend_schema(responses={200: OrderOutputSerializer})
    def get(self, request, order_id: int):
        return Response(order_data(request, order_get(order_id=order_id)))


class OrderStatusApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Order.Status.choices)

    @extend_schema(request=InputSerializer, responses={200: OrderOutputSerializer})
    def post(self, request, order_id: int):
        order = order_get(order_id=order_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_status_set(order=order, status=data.validated_data["status"])
        return Response(order_data(request, order_get(order_id=order.pk)))
