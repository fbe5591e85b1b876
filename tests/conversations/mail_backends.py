"""A mail backend that fails a set number of times, then delivers to the locmem outbox."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend


class FlakyEmailBackend(BaseEmailBackend):
    failures_left = 0
    calls = 0

    def send_messages(self, email_messages):
        FlakyEmailBackend.calls += 1
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise ConnectionRefusedError("mail server refused the connection")
        return LocmemEmailBackend().send_messages(email_messages)


class SlowEmailBackend(BaseEmailBackend):
    """Locmem delivery that takes a little while, so two dispatchers overlap for real."""

    def send_messages(self, email_messages):
        import time

        time.sleep(0.02)
        return LocmemEmailBackend().send_messages(email_messages)
