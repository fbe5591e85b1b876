"""A file e-mail backend that takes its time, so a test can kill a worker mid-dispatch."""

import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(0.05)
        return super().send_messages(email_messages)
