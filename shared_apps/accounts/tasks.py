from celery import shared_task

from .otp import otp_challenges_expired_delete


@shared_task
def otp_challenges_expired_delete_task():
    return otp_challenges_expired_delete()
