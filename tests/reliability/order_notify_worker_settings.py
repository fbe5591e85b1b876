"""Settings of the Celery workers that tests/reliability/test_order_notifications_worker_killed.py
starts: the test settings, with texts going out through the real Twilio backend (to the local
fake of Twilio's API the test serves; TWILIO_* come from the environment)."""

from saas.settings.test import *  # noqa: F403

SMS_BACKEND = "shared_apps.accounts.sms_twilio.TwilioSmsBackend"
