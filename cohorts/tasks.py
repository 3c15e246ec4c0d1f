"""Celery entry points for cohorts: thin, id-based, safe to run twice. Celery's autodiscovery
imports this module; a task that a service enqueues lives next to that service and is listed
here too, so that the worker knows it."""

import logging

from celery import shared_task

from courses import snapshots

from . import tallies
from .services.announcements import send_announcement, sweep_announcements

__all__ = ["refresh_progress_snapshots", "send_announcement", "sweep_announcements"]

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, time_limit=60 * 30, soft_time_limit=60 * 29)
def refresh_progress_snapshots() -> int:
    # Nightly (CELERY_BEAT_SCHEDULE): recomputes the dashboard's stored figures from the records
    # under row locks; a second run finds nothing to fix. Anything fixed means a write path
    # missed its update: worth a look.
    fixed = snapshots.rebuild() + tallies.rebuild()
    if fixed:
        logger.warning("refresh_progress_snapshots fixed %s stored figures", fixed)
    return fixed
