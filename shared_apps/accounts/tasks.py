from smtplib import SMTPException

from celery import shared_task
from django.db import connection

from .otp import customer_otp_scope, otp_challenges_expired_delete
from .services import seller_email_verification_send


@shared_task(name="shared_apps.accounts.tasks.store_otp_challenges_expired_delete_task")
def store_otp_challenges_expired_delete_task():
    """Per-store daily job: drop this store's spent buyer codes (scope names the schema)."""
    return otp_challenges_expired_delete(scope=customer_otp_scope(connection.schema_name))


@shared_task(name="shared_apps.accounts.tasks.otp_challenges_expired_delete_task")
def otp_challenges_expired_delete_task():
    """Platform job: drop spent seller codes."""
    return otp_challenges_expired_delete(scope="seller")


@shared_task(
    name="shared_apps.accounts.tasks.seller_email_verification_send_task",
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def seller_email_verification_send_task(seller_id: int) -> bool:
    """E-mail the address-verification link (nothing once the address is verified)."""
    return seller_email_verification_send(seller_id=seller_id)
