"""An e-mail backend for the worker-crash test: one file per message, named by its outbox row.

It waits before writing, so that a worker killed during the wait has handed nothing over.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

DELAY = float(os.environ.get("KITZ_MAIL_SINK_DELAY", "0.2"))


class SlowFileSink(BaseEmailBackend):
    def send_messages(self, email_messages):
        from django.conf import settings

        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            time.sleep(DELAY)
            notification = message.extra_headers.get("X-KITZ-Notification", "unknown")
            # One file per delivery; a second delivery of the same row gets a second file.
            path = folder / f"{notification}-{time.monotonic_ns()}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(email_messages)
