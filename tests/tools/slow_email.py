"""An e-mail backend for fault tests: Django's file backend (one file per message, in
EMAIL_FILE_PATH), taking EMAIL_SLOW_SECONDS per message so a worker can be killed mid-batch."""

import os
import time

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("EMAIL_SLOW_SECONDS", "0.05")))
        return super().send_messages(email_messages)
