# The module, not its classes: Django picks the one AppConfig subclass defined here.
from saas import tools


def _orders_in_words(count: int) -> str:
    return f"{count} order" if count == 1 else f"{count} orders"


class OrdersConfig(tools.ToolConfig):
    name = "tenant_apps.orders"
    label = "orders"
    store_urls = "tenant_apps.orders.urls"
    console_urls = "tenant_apps.orders.console_urls"
    # Customers are the buyers of this tool's orders: its second section.
    console = (
        tools.ConsoleEntry(label="Orders", url_name="console-orders", order=30),
        tools.ConsoleEntry(label="Customers", url_name="console-customers", order=40),
    )
    schedules = (
        tools.Schedule(
            key="cart-cleanup",
            title="Expired carts clean-up",
            task="tenant_apps.orders.tasks.cart_expired_delete_task",
            minute="30",
            hour="2",
        ),
        # The safety net of order notifications: rows a broker outage or a retry left due.
        tools.Schedule(
            key="order-notifications-dispatch",
            title="Order notifications (SMS and e-mail) dispatch",
            task="tenant_apps.orders.tasks.order_notifications_dispatch_task",
            minute="*/5",
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

    def console_overview(self, request):
        from django.urls import reverse

        from saas.console.templatetags import money

        # models are not ready when apps load
        from .selectors import order_figures, order_unseen_count

        figures = order_figures()
        unseen = order_unseen_count()
        currency = getattr(request.tenant, "currency", "INR")
        orders_url = reverse("console-orders")
        return [
            tools.OverviewCard(
                title="Orders today",
                value=str(figures.orders_today),
                url=orders_url,
                detail=f"{money(figures.revenue_today, currency)} today",
            ),
            tools.OverviewCard(
                title="Revenue this month",
                value=money(figures.revenue_this_month, currency),
                url=orders_url,
                detail=_orders_in_words(figures.orders_this_month) + " this month",
            ),
            # Orders nobody of the team has opened in the console yet.
            tools.OverviewCard(
                title="New orders",
                value=str(unseen),
                url=orders_url,
                detail="not opened yet" if unseen else "all opened",
            ),
        ]

    def console_checklist(self, request):
        from .selectors import order_received_any  # models are not ready when apps load

        link = request.tenant.link
        return [
            tools.ChecklistStep(
                label=f"Share your store link: {link}", url=link, done=order_received_any()
            )
        ]
