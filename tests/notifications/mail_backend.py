"""An e-mail backend for the real worker tests: each message is written to its own file, so the
e-mails survive the worker process, and a send can be made to stop half-way, deterministically.

To stop the next send to an address, the test creates `<WORKER_MAIL_DIR>/hold/<address>`. The
send that removes that file (exactly one can) writes `<WORKER_MAIL_DIR>/held/<address>` holding
its process id, then waits until the test kills the process; the e-mail is never written."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def mail_dir() -> Path:
    return Path(os.environ["WORKER_MAIL_DIR"])


class RecordingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            for address in message.recipients():
                self._hold_if_asked(address)
            name = f"{time.time_ns()}-{uuid.uuid4().hex}"
            tmp = mail_dir() / f".{name}.tmp"
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(mail_dir() / f"{name}.eml")  # whole file or none
        return len(email_messages)

    @staticmethod
    def _hold_if_asked(address):
        try:
            (mail_dir() / "hold" / address).unlink()
        except FileNotFoundError:
            return
        held = mail_dir() / "held" / address
        held.write_text(str(os.getpid()))
        parent = os.getppid()
        # Mid-send until killed; gives up only if the test itself went away (parent changed).
        while os.getppid() == parent:
            time.sleep(0.05)
        raise OSError("held send abandoned")
