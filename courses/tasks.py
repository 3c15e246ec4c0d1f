"""Celery entry points for courses: thin, id-based, safe to run twice."""

from celery import shared_task

from . import snapshots


@shared_task(acks_late=True)
def refresh_course_progress(course_id: int) -> int:
    # Recomputes from the rule under row locks: a duplicated or redelivered message finds every
    # snapshot already right and changes nothing.
    return snapshots.refresh_course(course_id)
