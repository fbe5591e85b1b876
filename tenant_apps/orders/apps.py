# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


class OrdersConfig(tools.ToolConfig):
    name = "tenant_apps.orders"
    label = "orders"
    store_urls = "tenant_apps.orders.urls"
    console_urls = "tenant_apps.orders.console_urls"
    console = (
        tools.ConsoleEntry(
            label="Orders", url_name="store_admin:orders_order_changelist", order=30
        ),
    )
    schedules = (
        tools.Schedule(
            key="cart-cleanup",
            title="Expired carts clean-up",
            task="tenant_apps.orders.tasks.cart_expired_delete_task",
            minute="30",
            hour="2",
        ),
        # Buyer sign-in codes are this tool's audience; the task lives with the OTP store.
        tools.Schedule(
            key="otp-cleanup",
            title="Spent buyer login codes clean-up",
            task="shared_apps.accounts.tasks.store_otp_challenges_expired_delete_task",
            minute="45",
            hour="2",
        ),
    )

    def demo_fill(self, store):
        from .demo import demo_fill  # models are not ready when apps load

        demo_fill()
