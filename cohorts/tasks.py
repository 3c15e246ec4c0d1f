"""Celery entry points for cohorts: thin, id-based, safe to run twice."""

import logging

from celery import shared_task

from courses import snapshots

from . import services, tallies

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_announcement(announcement_id: int) -> int:
    # The service claims the announcement under a row lock and marks it sent in the same
    # transaction, so a redelivered message notifies nobody twice.
    return services.deliver_announcement(announcement_id=announcement_id)


@shared_task(acks_late=True, time_limit=60 * 30, soft_time_limit=60 * 29)
def refresh_progress_snapshots() -> int:
    # Nightly (CELERY_BEAT_SCHEDULE): recomputes the dashboard's stored figures from the records
    # under row locks; a second run finds nothing to fix. Anything fixed means a write path
    # missed its update: worth a look.
    fixed = snapshots.rebuild() + tallies.rebuild()
    if fixed:
        logger.warning("refresh_progress_snapshots fixed %s stored figures", fixed)
    return fixed
