from django.urls import path

from . import apis, checkout_apis, discount_apis
from .abandoned_apis import AbandonedCartListApi

urlpatterns = [
    path("api/carts/abandoned", AbandonedCartListApi.as_view(), name="carts-abandoned"),
    path("api/cart", apis.CartApi.as_view(), name="cart"),
    path("api/cart/items", apis.CartItemSetApi.as_view(), name="cart-items"),
    path("api/cart/discount", checkout_apis.CartDiscountApi.as_view(), name="cart-discount"),
    path(
        "api/customers/otp/request",
        apis.CustomerOtpRequestApi.as_view(),
        name="customer-otp-request",
    ),
    path(
        "api/customers/otp/verify", apis.CustomerOtpVerifyApi.as_view(), name="customer-otp-verify"
    ),
    path(
        "api/customers/token/refresh",
        apis.CustomerTokenRefreshApi.as_view(),
        name="customer-token-refresh",
    ),
    path("api/customers/logout", apis.CustomerLogoutApi.as_view(), name="customer-logout"),
    path("api/customers/me", apis.CustomerMeApi.as_view(), name="customer-me"),
    path("api/customers/me/orders", apis.CustomerOrderListApi.as_view(), name="customer-orders"),
    path(
        "api/customers/me/orders/<int:order_id>",
        apis.CustomerOrderDetailApi.as_view(),
        name="customer-order",
    ),
    path("api/orders", apis.OrderCollectionApi.as_view(), name="orders"),
    path("api/orders/<int:order_id>", apis.OrderDetailApi.as_view(), name="order-detail"),
    path("api/orders/<int:order_id>/status", apis.OrderStatusApi.as_view(), name="order-status"),
    path(
        "api/orders/<int:order_id>/payment",
        checkout_apis.OrderPaymentApi.as_view(),
        name="order-payment",
    ),
    path("api/discounts", discount_apis.DiscountCollectionApi.as_view(), name="discounts"),
    path(
        "api/discounts/<int:discount_id>",
        discount_apis.DiscountDetailApi.as_view(),
        name="discount-detail",
    ),
]
