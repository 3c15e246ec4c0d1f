"""The bench cohort's reminder log (cohorts:reminder_log): three deliveries per trainee."""

import datetime

from django.utils import timezone

from bench.fixture import COHORT_NAME_EN
from cohorts.models import Cohort, Membership
from notifications.models import Delivery


def seed_reminder_deliveries(*, scale, stdout) -> None:
    """Three reminder deliveries per trainee of the bench cohort (sent, skipped, deferred), for
    its managers' delivery log. Idempotent through the deliveries' unique key."""
    cohort = Cohort.objects.get(name_en=COHORT_NAME_EN)
    people = list(
        Membership.objects.filter(cohort=cohort, role=Membership.Role.TRAINEE).values_list(
            "user_id", flat=True
        )
    )
    statuses = (Delivery.Status.SENT, Delivery.Status.SKIPPED, Delivery.Status.DEFERRED)
    now = timezone.now()
    rows = [
        Delivery(
            recipient_id=pk,
            kind="cohorts.session_soon",
            object_key=f"cohorts.session:{n}",
            occurrence="24h",
            status=status,
            created_at=now - datetime.timedelta(hours=n),
            finished_at=now,
        )
        for pk in people
        for n, status in enumerate(statuses)
    ]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    stdout.write(f"  reminder deliveries: {len(rows)}\n")
