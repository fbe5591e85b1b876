from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message (an outage during the digest)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server unavailable")
