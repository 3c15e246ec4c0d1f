"""Celery entry points for cohorts: thin, id-based, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_announcement(announcement_id: int) -> int:
    # The service claims the announcement under a row lock and marks it sent in the same
    # transaction, so a redelivered message notifies nobody twice.
    return services.deliver_announcement(announcement_id=announcement_id)
