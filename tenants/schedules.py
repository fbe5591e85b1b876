"""The periodic jobs every store gets, as django-celery-beat crontab schedules (UTC).

Each tool app owns the task named here; the owner edits the schedule in the store admin.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultSchedule:
    key: str
    title: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"


DEFAULT_STORE_SCHEDULES = (
    DefaultSchedule(
        key="signup-digest",
        title="Signup digest (e-mail the month's new signups)",
        task="tenant_apps.signups.tasks.signup_digest_task",
        minute="0",
        hour="8",
        day_of_week="1,3",
    ),
    DefaultSchedule(
        key="conversation-mail-dispatch",
        title="Conversation mail dispatch (client's 09:00-20:00)",
        task="tenant_apps.conversations.tasks.conversation_mail_dispatch_task",
        minute="0",
        hour="*",
    ),
    DefaultSchedule(
        key="traffic-fetch",
        title="GitHub traffic fetch",
        task="tenant_apps.traffic.tasks.traffic_fetch_all_task",
        minute="15",
        hour="3",
    ),
    DefaultSchedule(
        key="cart-cleanup",
        title="Expired carts clean-up",
        task="tenant_apps.orders.tasks.cart_expired_delete_task",
        minute="30",
        hour="2",
    ),
    DefaultSchedule(
        key="otp-cleanup",
        title="Spent buyer login codes clean-up",
        task="shared_apps.accounts.tasks.store_otp_challenges_expired_delete_task",
        minute="45",
        hour="2",
    ),
)

# Steps run inside a new store's schema after it is created, each `step(*, store)`.
STORE_SETUP_STEPS: tuple[str, ...] = ("tenant_apps.signups.services.widget_site_create_default",)
