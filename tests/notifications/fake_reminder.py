"""A reminder of the tests' own, registered like an app's (notifications.reminders), so the
delivery side is tested without depending on any app's scan: everyone whose address ends in
@remind.test is due one "ping" (object: their own user row, occurrence "once"); it stops being
due when their name starts with "done". A delivery to an address can be made to stop mid-task,
as the mail backend's sends can (tests/notifications/mail_backend.py, name "deliver-<address>").
"""

import os

from django.utils.translation import gettext_lazy as _

from notifications import kinds, reminders

KIND = "tests.ping"
URGENT_KIND = "tests.urgent_ping"
DOMAIN = "@remind.test"


def scan(now):
    from accounts.models import User

    for pk, email in User.objects.filter(email__endswith=DOMAIN).values_list("pk", "email"):
        yield reminders.Due(
            recipient_id=pk,
            object_key=f"accounts.user:{pk}",
            occurrence="once",
            params={"who": email},
            url="/notifications/",
        )


def still_due(due, now):
    from accounts.models import User

    user = User.objects.get(pk=due.recipient_id)
    if os.environ.get("WORKER_MAIL_DIR"):
        from tests.notifications.mail_backend import RecordingEmailBackend

        RecordingEmailBackend._hold_if_asked(f"deliver-{user.email}")
    return not user.full_name.startswith("done")


def install():
    kinds.register(KIND, title=_("Reminder"), body="%(who)s")
    kinds.register(URGENT_KIND, title=_("Reminder"), body="%(who)s", can_turn_off=False)
    reminders.register(reminders.Reminder(kind=KIND, scan=scan, still_due=still_due))
    reminders.register(
        reminders.Reminder(kind=URGENT_KIND, scan=lambda now: [], still_due=still_due)
    )


def uninstall():
    kinds._REGISTRY.pop(KIND, None)
    kinds._REGISTRY.pop(URGENT_KIND, None)
    reminders._REGISTRY.pop(KIND, None)
    reminders._REGISTRY.pop(URGENT_KIND, None)
