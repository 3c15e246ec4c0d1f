"""A person's secret calendar-feed address."""

from django.db import transaction
from django.utils import timezone

from core.models import record

from ..models import CalendarFeed, new_calendar_token


def calendar_feed_for(user) -> CalendarFeed:
    """The person's secret calendar address, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def rotate_calendar_token(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_for(user)
    feed.token = new_calendar_token()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at"])
    record(actor=user, action="cohorts.rotate_calendar_token", target=feed)
    return feed
